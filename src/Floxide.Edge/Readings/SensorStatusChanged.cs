namespace Floxide.Edge.Readings;

/// <summary>Whether a sensor is answering.</summary>
public enum SensorStatus
{
    /// <summary>The sensor answers with good reads.</summary>
    Online,

    /// <summary>The sensor has failed too many reads in a row (or never answered since start).</summary>
    Offline,
}

/// <summary>A sensor went offline after repeated faults, or came back with a good read.</summary>
/// <param name="sensorId">The sensor's configured id.</param>
/// <param name="timestamp">When the status changed.</param>
/// <param name="status">The new status.</param>
/// <param name="reason">Why, e.g. the last fault's detail.</param>
public sealed class SensorStatusChanged(string sensorId, DateTimeOffset timestamp, SensorStatus status, string reason)
    : GatewayEvent(timestamp)
{
    /// <summary>The sensor's configured id.</summary>
    public string SensorId { get; } = sensorId;

    /// <summary>The new status.</summary>
    public SensorStatus Status { get; } = status;

    /// <summary>Why the status changed.</summary>
    public string Reason { get; } = reason;

    /// <inheritdoc/>
    public override string ToString() => $"{SensorId} {Status}: {Reason}";
}
