namespace Floxide.Events;

/// <summary>
/// The ADR-0009 event-driven node: a source that also processes the events it yields, choosing their first route
/// itself. A plain <see cref="IEventSource{TEvent}"/> routes every event with one fixed action instead.
/// </summary>
/// <typeparam name="TEvent">The events it yields and processes.</typeparam>
/// <typeparam name="TContext">The state shared by the nodes of a run.</typeparam>
/// <typeparam name="TAction">The type whose values name routes.</typeparam>
/// <remarks>Called from one loop at a time, as for its two roles.</remarks>
public interface IEventDrivenNode<TEvent, in TContext, TAction> : IEventSource<TEvent>, IEventProcessor<TEvent, TContext, TAction>;
