using Floxide.Edge.Readings;

namespace Floxide.Edge.Workflow;

/// <summary>
/// A sensor was taken out of the <see cref="Sensors.SensorDirectory"/>: queued by the workflow itself, so that the
/// components that keep per-sensor state, which only the workflow loop may touch, drop it on that loop.
/// </summary>
/// <param name="sensorId">The removed sensor.</param>
/// <param name="timestamp">When it was removed.</param>
internal sealed class SensorRemoved(string sensorId, DateTimeOffset timestamp) : GatewayEvent(timestamp)
{
    public string SensorId { get; } = sensorId;

    public override string ToString() => $"{SensorId} removed";
}
