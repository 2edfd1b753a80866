namespace Floxide.Edge.Readings;

/// <summary>
/// An event that flows through the gateway's workflow: a reading, a sensor fault, a sensor going offline or coming
/// back, or a tick of the stale-sensor check.
/// </summary>
/// <param name="timestamp">When it happened, from the producer's <see cref="TimeProvider"/>.</param>
public abstract class GatewayEvent(DateTimeOffset timestamp)
{
    /// <summary>When it happened.</summary>
    public DateTimeOffset Timestamp { get; } = timestamp;
}

/// <summary>A tick of the gateway's timer, which drives time-based checks such as stale sensors.</summary>
/// <param name="timestamp">When the tick was taken.</param>
public sealed class GatewayTick(DateTimeOffset timestamp) : GatewayEvent(timestamp);
