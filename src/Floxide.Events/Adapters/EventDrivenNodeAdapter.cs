using Floxide.Core;

namespace Floxide.Events;

/// <summary>
/// Uses an event-driven node as a step of a standard workflow: the step waits for one event, processes it, and
/// routes on with the node's action. A wait longer than the timeout routes on with the timeout action instead.
/// </summary>
/// <typeparam name="TEvent">The node's events.</typeparam>
/// <typeparam name="TContext">The state shared by the nodes of a run.</typeparam>
/// <typeparam name="TAction">The type whose values name routes.</typeparam>
/// <remarks>Runs the node from one workflow run at a time, as its source role requires.</remarks>
public sealed class EventDrivenNodeAdapter<TEvent, TContext, TAction> : INode<TContext, TAction>
{
    private readonly IEventDrivenNode<TEvent, TContext, TAction> node;
    private readonly TimeProvider timeProvider;

    /// <summary>Wraps <paramref name="node"/>.</summary>
    /// <param name="node">The event-driven node.</param>
    /// <param name="waitTimeout">How long a step waits for an event; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="timeoutAction">
    /// The action returned when no event came in time; also the final action when the node's source has completed,
    /// which ends the standard workflow since no event will ever come.
    /// </param>
    /// <param name="timeProvider">The clock for the timeout; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="waitTimeout"/> is zero or negative and not infinite.</exception>
    public EventDrivenNodeAdapter(
        IEventDrivenNode<TEvent, TContext, TAction> node, TimeSpan waitTimeout, TAction timeoutAction, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (waitTimeout <= TimeSpan.Zero && waitTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(waitTimeout), waitTimeout, "The wait timeout must be positive, or infinite.");
        }

        this.node = node;
        WaitTimeout = waitTimeout;
        TimeoutAction = timeoutAction;
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Id => node.Id;

    /// <summary>How long a step waits for an event.</summary>
    public TimeSpan WaitTimeout { get; }

    /// <summary>The action returned when no event came in time.</summary>
    public TAction TimeoutAction { get; }

    /// <inheritdoc/>
    public async ValueTask<NodeOutcome<TAction>> ExecuteAsync(TContext context, CancellationToken cancellationToken = default)
    {
        TEvent @event;
        using (var timeoutSource = new CancellationTokenSource(WaitTimeout, timeProvider))
        using (var linkedSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token))
        {
            try
            {
                @event = await node.WaitForEventAsync(linkedSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return NodeOutcome.Route(TimeoutAction);
            }
            catch (EventSourceCompletedException)
            {
                return NodeOutcome.Complete(TimeoutAction);
            }
        }

        var action = await node.ProcessEventAsync(@event, context, cancellationToken).ConfigureAwait(false);
        return NodeOutcome.Route(action);
    }
}
