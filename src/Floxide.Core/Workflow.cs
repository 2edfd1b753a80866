using Floxide.Core.Graph;
using Floxide.Core.Routing;

namespace Floxide.Core;

/// <summary>
/// A standard workflow: nodes run one after another, each node's action picks the next by route, and the run
/// ends when a node returns a terminal outcome or an action with no route. Build one with
/// <see cref="WorkflowBuilder{TContext, TAction}"/>.
/// </summary>
/// <typeparam name="TContext">The state shared by the nodes of a run.</typeparam>
/// <typeparam name="TAction">The type whose values name routes.</typeparam>
/// <remarks>Immutable; runs may execute concurrently when the nodes allow it.</remarks>
public sealed class Workflow<TContext, TAction>
    where TAction : notnull
{
    private readonly INode<TContext, TAction>[] nodes;
    private readonly RouteTable<TAction> routes;
    private readonly int initialIndex;

    internal Workflow(string name, INode<TContext, TAction>[] nodes, RouteTable<TAction> routes, int initialIndex, int stepLimit)
    {
        Name = name;
        this.nodes = nodes;
        this.routes = routes;
        this.initialIndex = initialIndex;
        StepLimit = stepLimit;
    }

    /// <summary>The workflow's name, used in errors and graphs.</summary>
    public string Name { get; }

    /// <summary>The most nodes one run may execute before it fails with <see cref="WorkflowStepLimitExceededException"/>.</summary>
    public int StepLimit { get; }

    /// <summary>Runs the workflow from its initial node.</summary>
    /// <param name="context">The state shared by the run's nodes.</param>
    /// <param name="cancellationToken">Cancels the run between and within nodes.</param>
    /// <returns>How the run ended, at which node, with which action.</returns>
    /// <exception cref="NodeExecutionException">A node threw; the exception names it.</exception>
    /// <exception cref="WorkflowStepLimitExceededException">The run exceeded <see cref="StepLimit"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<WorkflowResult<TAction>> ExecuteAsync(TContext context, CancellationToken cancellationToken = default)
    {
        var index = initialIndex;
        for (var steps = 1; ; steps++)
        {
            var node = nodes[index];
            cancellationToken.ThrowIfCancellationRequested();
            if (steps > StepLimit)
            {
                throw new WorkflowStepLimitExceededException(Name, node.Id, StepLimit);
            }

            NodeOutcome<TAction> outcome;
            try
            {
                outcome = await node.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                throw new NodeExecutionException(node.Id, exception);
            }

            if (outcome.IsTerminal)
            {
                return new(WorkflowCompletion.Terminated, node.Id, outcome.Action, steps);
            }

            if (!routes.TryGetNext(index, outcome.Action, out var next))
            {
                return new(WorkflowCompletion.NoRoute, node.Id, outcome.Action, steps);
            }

            index = next.NodeIndex;
        }
    }

    /// <summary>Describes the workflow's nodes and routes, e.g. for <see cref="MermaidFlowchart"/>.</summary>
    /// <returns>The workflow's graph.</returns>
    public WorkflowGraph ToGraph() => new(
        Name,
        nodes[initialIndex].Id,
        Array.ConvertAll(nodes, node => new GraphNode(node.Id, GraphNodeRole.Step)),
        GraphEdges.From(routes));
}
