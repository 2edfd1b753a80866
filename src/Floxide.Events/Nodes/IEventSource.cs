namespace Floxide.Events;

/// <summary>A node that waits for events from outside the workflow: a channel, a timer, a device.</summary>
/// <typeparam name="TEvent">The events it yields.</typeparam>
/// <remarks>
/// One reader at a time: the workflow calls <see cref="WaitForEventAsync"/> from one loop, never concurrently.
/// Producers feeding an implementation (pollers, MQTT callbacks) may be many and on any thread.
/// </remarks>
public interface IEventSource<TEvent> : IEventNode
{
    /// <summary>Waits for the next event.</summary>
    /// <param name="cancellationToken">Cancels the wait; an event that arrives later is not lost.</param>
    /// <returns>The next event.</returns>
    /// <exception cref="EventSourceCompletedException">The source has no more events and never will.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<TEvent> WaitForEventAsync(CancellationToken cancellationToken = default);
}
