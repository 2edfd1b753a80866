namespace Floxide.Events;

/// <summary>A tick of a <see cref="TimerEventSource"/>.</summary>
/// <param name="Sequence">1 for the first tick, then counting up.</param>
/// <param name="Timestamp">When the tick was taken, from the source's <see cref="TimeProvider"/>.</param>
public readonly record struct TimerTick(long Sequence, DateTimeOffset Timestamp);
