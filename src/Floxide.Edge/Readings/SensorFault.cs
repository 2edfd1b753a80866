namespace Floxide.Edge.Readings;

/// <summary>Why a sensor read failed.</summary>
public enum SensorFaultKind
{
    /// <summary>The bus failed: an I/O error, or the device did not acknowledge (NACK).</summary>
    BusError,

    /// <summary>The data's checksum did not match: a noisy line or a failing chip.</summary>
    ChecksumMismatch,

    /// <summary>The chip answered, but with no valid value (a driver's <c>TryRead…</c> returned false, a busy chip).</summary>
    NoData,

    /// <summary>The chip at the address is not the configured model (wrong chip id).</summary>
    WrongChip,

    /// <summary>Nothing answered: the device is absent or disconnected.</summary>
    NotPresent,

    /// <summary>The read did not finish within its time budget.</summary>
    Timeout,

    /// <summary>The sensor was not read: its bus stayed busy with other sensors' reads past the bus-wait budget.</summary>
    BusBusy,
}

/// <summary>A failed read of a sensor: an event, never an exception that escapes a poller.</summary>
/// <param name="sensorId">The sensor's configured id.</param>
/// <param name="timestamp">When the read failed.</param>
/// <param name="kind">Why it failed.</param>
/// <param name="detail">What a person needs to know, e.g. the exception's message or the bad checksum.</param>
/// <param name="consecutiveFaults">How many reads in a row have failed, this one included.</param>
public sealed class SensorFault(string sensorId, DateTimeOffset timestamp, SensorFaultKind kind, string detail, int consecutiveFaults)
    : GatewayEvent(timestamp)
{
    /// <summary>The sensor's configured id.</summary>
    public string SensorId { get; } = sensorId;

    /// <summary>Why the read failed.</summary>
    public SensorFaultKind Kind { get; } = kind;

    /// <summary>What a person needs to know.</summary>
    public string Detail { get; } = detail;

    /// <summary>How many reads in a row have failed, this one included.</summary>
    public int ConsecutiveFaults { get; } = consecutiveFaults;

    /// <inheritdoc/>
    public override string ToString() => $"{SensorId} fault {Kind} ({ConsecutiveFaults} in a row): {Detail}";
}
