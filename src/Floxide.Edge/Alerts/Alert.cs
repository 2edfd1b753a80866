using Floxide.Edge.Classification;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Alerts;

/// <summary>What an alert is about.</summary>
public enum AlertKind
{
    /// <summary>A quantity crossed a warning or critical threshold.</summary>
    Threshold,

    /// <summary>The sensor has sent no valid reading for longer than its stale limit.</summary>
    Stale,

    /// <summary>The sensor went offline after repeated read faults.</summary>
    Offline,
}

/// <summary>What happened to an alert; each notification carries one.</summary>
public enum AlertTransition
{
    /// <summary>The alert became active.</summary>
    Raised,

    /// <summary>The active alert became more severe (warning to critical).</summary>
    Escalated,

    /// <summary>The active alert became less severe (critical to warning).</summary>
    Deescalated,

    /// <summary>The alert is still active: a reminder after the re-notify interval.</summary>
    Renotified,

    /// <summary>The alert ended: the value returned to normal, or the sensor reported again.</summary>
    Cleared,

    /// <summary>The alert was active when the gateway stopped and is still active after its restart; not a new alert.</summary>
    Restored,
}

/// <summary>
/// An alert: a condition of one sensor (a threshold of one quantity, staleness, or being offline) that needs a
/// person's attention. Immutable: every transition produces a new instance with the same <see cref="Id"/>.
/// </summary>
/// <remarks>
/// This is the contract every alert sink receives (log, GPIO, MQTT). Values are in the quantity's canonical unit
/// (°C, %, hPa); times are the gateway's or the reading's UTC instants.
/// </remarks>
public sealed record Alert
{
    /// <summary>
    /// The stable id: <c>{sensorId}/{quantity}</c> for a threshold alert (e.g. <c>t-17/temperature</c>),
    /// <c>{sensorId}/stale</c> or <c>{sensorId}/offline</c>. The same condition of the same sensor always has the same
    /// id, across escalations and restarts, so a sink can key retained state on it.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>What the alert is about.</summary>
    public required AlertKind Kind { get; init; }

    /// <summary>How severe it is now: <see cref="Classification.Severity.Warning"/> or <see cref="Classification.Severity.Critical"/>.</summary>
    public required Severity Severity { get; init; }

    /// <summary>The sensor's configured id.</summary>
    public required string SensorId { get; init; }

    /// <summary>The quantity, for a threshold alert.</summary>
    public Quantity? Quantity { get; init; }

    /// <summary>The zone the quantity is in, for a threshold alert; <see cref="ThresholdZone.Normal"/> otherwise.</summary>
    public ThresholdZone Zone { get; init; }

    /// <summary>The value that caused the latest transition (on <see cref="AlertTransition.Cleared"/>, the one that cleared it), for a threshold alert.</summary>
    public double? Value { get; init; }

    /// <summary>The threshold crossed, for a threshold alert; for a stale alert, the stale limit in seconds.</summary>
    public double? Threshold { get; init; }

    /// <summary>When the alert was raised.</summary>
    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>When it last changed severity (or was raised).</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>When it was cleared; <see langword="null"/> while active.</summary>
    public DateTimeOffset? ClearedAt { get; init; }

    /// <summary>A sentence for a person, e.g. <c>t-17 temperature 41.2 °C at or above critical-high threshold 40 °C</c>.</summary>
    public required string Message { get; init; }

    /// <summary><see langword="true"/> until cleared.</summary>
    public bool IsActive => ClearedAt is null;
}

/// <summary>One thing an alert sink is told: a transition of an alert.</summary>
/// <param name="Sequence">Counts up by one per notification, and across restarts only up (never reused), so consumers can spot gaps and repeats.</param>
/// <param name="Transition">What happened.</param>
/// <param name="Alert">The alert after the transition.</param>
/// <param name="PreviousSeverity">The severity before the transition (<see cref="Severity.Normal"/> when raised).</param>
/// <param name="Timestamp">When it happened.</param>
public sealed record AlertNotification(long Sequence, AlertTransition Transition, Alert Alert, Severity PreviousSeverity, DateTimeOffset Timestamp)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"#{Sequence} {Timestamp:O} {Transition.ToString().ToUpperInvariant()} {Alert.Severity.Name()} {Alert.Id}: {Alert.Message}";
}

/// <summary>Builds the stable ids of alerts.</summary>
public static class AlertIds
{
    /// <summary>The id of a threshold alert: <c>{sensorId}/{quantity}</c>.</summary>
    /// <param name="sensorId">The sensor.</param>
    /// <param name="quantity">The quantity.</param>
    /// <returns>The id.</returns>
    public static string Threshold(string sensorId, Quantity quantity) => $"{sensorId}/{quantity.Name()}";

    /// <summary>The id of a stale alert: <c>{sensorId}/stale</c>.</summary>
    /// <param name="sensorId">The sensor.</param>
    /// <returns>The id.</returns>
    public static string Stale(string sensorId) => $"{sensorId}/stale";

    /// <summary>The id of an offline alert: <c>{sensorId}/offline</c>.</summary>
    /// <param name="sensorId">The sensor.</param>
    /// <returns>The id.</returns>
    public static string Offline(string sensorId) => $"{sensorId}/offline";
}
