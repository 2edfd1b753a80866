using Floxide.Edge.Readings;

namespace Floxide.Edge.Gateway.Sensors;

/// <summary>
/// Hands every event a poller produces to the workflow's queue and tells <c>beat</c> which sensor it came from, kept
/// or refused: a poller that still produces events is alive, whatever the queue did with them.
/// </summary>
internal sealed class HeartbeatEventWriter(IGatewayEventWriter inner, Action<string> beat) : IGatewayEventWriter
{
    public bool TryWriteReading(SensorReading reading)
    {
        beat(reading.SensorId);
        return inner.TryWriteReading(reading);
    }

    public ValueTask WriteReadingAsync(SensorReading reading, CancellationToken cancellationToken = default)
    {
        beat(reading.SensorId);
        return inner.WriteReadingAsync(reading, cancellationToken);
    }

    public ValueTask WriteAsync(GatewayEvent @event, CancellationToken cancellationToken = default)
    {
        if (SensorOf(@event) is { } sensorId)
        {
            beat(sensorId);
        }

        return inner.WriteAsync(@event, cancellationToken);
    }

    private static string? SensorOf(GatewayEvent @event) => @event switch
    {
        SensorReading reading => reading.SensorId,
        SensorFault fault => fault.SensorId,
        SensorStatusChanged change => change.SensorId,
        _ => null,
    };
}
