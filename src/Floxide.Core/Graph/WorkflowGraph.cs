namespace Floxide.Core.Graph;

/// <summary>The role a node plays in a graph, which decides how it is drawn.</summary>
public enum GraphNodeRole
{
    /// <summary>A step of a standard workflow.</summary>
    Step,

    /// <summary>An event-driven node that waits for events.</summary>
    Source,

    /// <summary>An event-driven node that only processes events routed to it.</summary>
    Processor,
}

/// <summary>A node of a <see cref="WorkflowGraph"/>.</summary>
/// <param name="Id">The node's id.</param>
/// <param name="Role">The node's role.</param>
public sealed record GraphNode(string Id, GraphNodeRole Role);

/// <summary>A route of a <see cref="WorkflowGraph"/>.</summary>
/// <param name="From">The node the route leaves.</param>
/// <param name="Action">The action that selects the route, as text.</param>
/// <param name="To">The node the route enters.</param>
public sealed record GraphEdge(string From, string Action, string To);

/// <summary>A workflow's shape, for documentation and tools: its nodes, routes and where a run starts.</summary>
/// <param name="Name">The workflow's name.</param>
/// <param name="InitialNodeId">The node a run starts at.</param>
/// <param name="Nodes">Every node, in the order the workflow was built.</param>
/// <param name="Edges">Every route.</param>
/// <param name="TerminationAction">The action that ends a run wherever it is returned, if the workflow has one.</param>
public sealed record WorkflowGraph(
    string Name,
    string InitialNodeId,
    IReadOnlyList<GraphNode> Nodes,
    IReadOnlyList<GraphEdge> Edges,
    string? TerminationAction = null);
