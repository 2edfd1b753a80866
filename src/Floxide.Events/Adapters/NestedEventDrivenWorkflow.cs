using Floxide.Core;

namespace Floxide.Events;

/// <summary>
/// Uses a whole event-driven workflow as a step of a standard workflow: the step runs it to its end and routes on
/// with the complete action (terminated, or its source completed) or the timeout action (it ran out of time).
/// </summary>
/// <typeparam name="TEvent">The inner workflow's events.</typeparam>
/// <typeparam name="TContext">The state shared by the outer and the inner workflow.</typeparam>
/// <typeparam name="TAction">The type whose values name routes, inside and out.</typeparam>
/// <remarks>The inner workflow allows one run at a time; so does this step.</remarks>
public sealed class NestedEventDrivenWorkflow<TEvent, TContext, TAction> : INode<TContext, TAction>
    where TAction : notnull
{
    private readonly EventDrivenWorkflow<TEvent, TContext, TAction> workflow;

    /// <summary>Wraps <paramref name="workflow"/> as the step <paramref name="id"/>.</summary>
    /// <param name="id">The step's id in the outer workflow.</param>
    /// <param name="workflow">The inner workflow.</param>
    /// <param name="completeAction">The action returned when the inner run terminated or its source completed.</param>
    /// <param name="timeoutAction">The action returned when the inner run timed out.</param>
    /// <param name="timeout">How long the inner run may last; null for no limit.</param>
    public NestedEventDrivenWorkflow(
        string id, EventDrivenWorkflow<TEvent, TContext, TAction> workflow, TAction completeAction, TAction timeoutAction, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(workflow);
        Id = id;
        this.workflow = workflow;
        CompleteAction = completeAction;
        TimeoutAction = timeoutAction;
        Timeout = timeout;
    }

    /// <inheritdoc/>
    public string Id { get; }

    /// <summary>The action returned when the inner run terminated or its source completed.</summary>
    public TAction CompleteAction { get; }

    /// <summary>The action returned when the inner run timed out.</summary>
    public TAction TimeoutAction { get; }

    /// <summary>How long the inner run may last; null for no limit.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>The result of the most recent inner run, for steps that follow and want the detail.</summary>
    public EventWorkflowResult? LastResult { get; private set; }

    /// <inheritdoc/>
    public async ValueTask<NodeOutcome<TAction>> ExecuteAsync(TContext context, CancellationToken cancellationToken = default)
    {
        var result = Timeout is { } timeout
            ? await workflow.ExecuteAsync(context, timeout, cancellationToken).ConfigureAwait(false)
            : await workflow.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
        LastResult = result;
        return result.Outcome switch
        {
            EventWorkflowOutcome.TimedOut => NodeOutcome.Route(TimeoutAction),
            EventWorkflowOutcome.Cancelled => throw new OperationCanceledException(cancellationToken),
            _ => NodeOutcome.Route(CompleteAction),
        };
    }
}
