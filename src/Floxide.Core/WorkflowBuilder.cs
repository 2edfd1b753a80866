using Floxide.Core.Routing;

namespace Floxide.Core;

/// <summary>Builds a <see cref="Workflow{TContext, TAction}"/> and checks its graph before it can run.</summary>
/// <typeparam name="TContext">The state shared by the nodes of a run.</typeparam>
/// <typeparam name="TAction">The type whose values name routes.</typeparam>
/// <param name="name">The workflow's name, used in errors and graphs.</param>
public sealed class WorkflowBuilder<TContext, TAction>(string name)
    where TAction : notnull
{
    /// <summary>The step limit used unless <see cref="WithStepLimit"/> sets another.</summary>
    public const int DefaultStepLimit = 10_000;

    private readonly List<INode<TContext, TAction>> nodes = [];
    private readonly List<Route<TAction>> routes = [];
    private string? initialNodeId;
    private int stepLimit = DefaultStepLimit;

    /// <summary>Adds a node. The first node added is where a run starts unless <see cref="StartWith"/> says otherwise.</summary>
    /// <param name="node">The node.</param>
    /// <returns>This builder.</returns>
    public WorkflowBuilder<TContext, TAction> AddNode(INode<TContext, TAction> node)
    {
        ArgumentNullException.ThrowIfNull(node);
        nodes.Add(node);
        initialNodeId ??= node.Id;
        return this;
    }

    /// <summary>Routes <paramref name="action"/> returned by <paramref name="fromNodeId"/> to <paramref name="toNodeId"/>.</summary>
    /// <param name="fromNodeId">The node that returns the action.</param>
    /// <param name="action">The action.</param>
    /// <param name="toNodeId">The node that runs next.</param>
    /// <returns>This builder.</returns>
    public WorkflowBuilder<TContext, TAction> Route(string fromNodeId, TAction action, string toNodeId)
    {
        routes.Add(new(fromNodeId, action, toNodeId));
        return this;
    }

    /// <summary>Makes <paramref name="nodeId"/> the node a run starts at.</summary>
    /// <param name="nodeId">The initial node's id.</param>
    /// <returns>This builder.</returns>
    public WorkflowBuilder<TContext, TAction> StartWith(string nodeId)
    {
        initialNodeId = nodeId;
        return this;
    }

    /// <summary>Sets the most nodes one run may execute, a guard against routes that loop forever.</summary>
    /// <param name="limit">1 or more. The default is <see cref="DefaultStepLimit"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    public WorkflowBuilder<TContext, TAction> WithStepLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        stepLimit = limit;
        return this;
    }

    /// <summary>Checks the graph and builds the workflow.</summary>
    /// <returns>The workflow.</returns>
    /// <exception cref="WorkflowValidationException">The graph has problems; every one is listed.</exception>
    public Workflow<TContext, TAction> Build()
    {
        var ids = nodes.ConvertAll(node => node.Id);
        var errors = GraphValidator.FindProblems(ids, routes, initialNodeId);
        if (errors.Count > 0)
        {
            throw new WorkflowValidationException(name, errors);
        }

        var table = new RouteTable<TAction>(ids, routes);
        return new Workflow<TContext, TAction>(name, [.. nodes], table, table.IndexOf(initialNodeId!), stepLimit);
    }
}
