namespace Floxide.Events;

/// <summary>What a workflow does when a node throws, or an action has no route.</summary>
public enum EventErrorPolicy
{
    /// <summary>The run fails with the error (ADR-0009's behaviour); right for request/response flows.</summary>
    FailRun,

    /// <summary>The event goes to the dead-letter handler with the node and the error, and the run carries on; right for a gateway.</summary>
    DeadLetter,
}

/// <summary>An event that failed: the event, where, why and when.</summary>
/// <param name="Event">The event.</param>
/// <param name="NodeId">The node that threw, or whose action had no route.</param>
/// <param name="Exception">What went wrong; an <see cref="EventRoutingException"/> for a routing failure.</param>
/// <param name="Timestamp">When it failed.</param>
/// <typeparam name="TEvent">The workflow's event type.</typeparam>
public sealed record DeadLetter<TEvent>(TEvent Event, string NodeId, Exception Exception, DateTimeOffset Timestamp);

/// <summary>Receives the events that failed under <see cref="EventErrorPolicy.DeadLetter"/>.</summary>
/// <typeparam name="TEvent">The workflow's event type.</typeparam>
/// <param name="deadLetter">The failed event.</param>
/// <param name="cancellationToken">The run's token.</param>
/// <returns>A task that completes when the event is handled; a handler that throws fails the run.</returns>
public delegate ValueTask DeadLetterHandler<TEvent>(DeadLetter<TEvent> deadLetter, CancellationToken cancellationToken);
