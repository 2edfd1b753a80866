namespace Floxide.Core;

/// <summary>A step of a standard workflow: processes the shared context and says what happens next.</summary>
/// <typeparam name="TContext">The state shared by every node of a run.</typeparam>
/// <typeparam name="TAction">The type whose values name the routes out of a node.</typeparam>
/// <remarks>A workflow runs one node at a time, so an implementation need not be thread-safe for a single run.</remarks>
public interface INode<in TContext, TAction>
{
    /// <summary>The node's id, unique within its workflow.</summary>
    string Id { get; }

    /// <summary>Processes <paramref name="context"/> and returns the action that picks the next node.</summary>
    /// <param name="context">The run's shared state.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>A routed action, or a terminal outcome that ends the run.</returns>
    ValueTask<NodeOutcome<TAction>> ExecuteAsync(TContext context, CancellationToken cancellationToken = default);
}
