namespace Floxide.Core.Routing;

/// <summary>The kinds of problem a workflow builder finds in a graph before it runs.</summary>
public enum WorkflowValidationErrorKind
{
    /// <summary>Two nodes share an id.</summary>
    DuplicateNodeId,

    /// <summary>The initial node, or an end of a route, is not a node of the workflow.</summary>
    UnknownNode,

    /// <summary>Two routes leave the same node on the same action.</summary>
    DuplicateRoute,

    /// <summary>No node can be reached from the initial node.</summary>
    UnreachableNode,

    /// <summary>The workflow has no nodes, or no initial node.</summary>
    MissingInitialNode,

    /// <summary>The initial node of an event-driven workflow cannot wait for events.</summary>
    InitialNodeNotSource,

    /// <summary>Processors route events around a cycle that never returns to a source.</summary>
    ProcessorCycle,

    /// <summary>A route is keyed on the termination action, which ends the run before any route is consulted.</summary>
    RouteShadowedByTermination,

    /// <summary>A source emits an action that has no route, so its events would go nowhere.</summary>
    MissingRoute,

    /// <summary>A route can never be taken, because its node never returns that action.</summary>
    UnusedRoute,
}

/// <summary>One problem in a workflow graph, naming the node (and the action, where one is involved).</summary>
/// <param name="Kind">The kind of problem.</param>
/// <param name="NodeId">The node the problem is about.</param>
/// <param name="Action">The action involved, as text, or <see langword="null"/>.</param>
/// <param name="Message">A sentence a person can act on.</param>
public sealed record WorkflowValidationError(WorkflowValidationErrorKind Kind, string NodeId, string? Action, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
