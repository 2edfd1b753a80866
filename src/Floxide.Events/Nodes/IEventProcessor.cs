namespace Floxide.Events;

/// <summary>
/// A node that processes an event routed to it and returns the action that routes it on. A processor cannot
/// wait for events: that is the role of <see cref="IEventSource{TEvent}"/>, and the types keep the two apart.
/// </summary>
/// <typeparam name="TEvent">The events it processes.</typeparam>
/// <typeparam name="TContext">The state shared by the nodes of a run.</typeparam>
/// <typeparam name="TAction">The type whose values name routes.</typeparam>
/// <remarks>A workflow calls a processor from its one loop, so an implementation needs no locking for its own state.</remarks>
public interface IEventProcessor<in TEvent, in TContext, TAction> : IEventNode
{
    /// <summary>Processes <paramref name="event"/> and decides where it goes next.</summary>
    /// <param name="event">The event.</param>
    /// <param name="context">The run's shared state.</param>
    /// <param name="cancellationToken">Cancels the processing.</param>
    /// <returns>
    /// The action that routes the event to another processor, back to a source (done with this event), or the
    /// workflow's termination action.
    /// </returns>
    ValueTask<TAction> ProcessEventAsync(TEvent @event, TContext context, CancellationToken cancellationToken = default);
}
