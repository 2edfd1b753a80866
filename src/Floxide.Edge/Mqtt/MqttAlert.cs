namespace Floxide.Edge.Mqtt;

/// <summary>What happened to an alert.</summary>
public enum MqttAlertTransition
{
    /// <summary>The alert became active.</summary>
    Raised,

    /// <summary>The alert is still active and is notified again (re-notification interval).</summary>
    Renotified,

    /// <summary>The alert is no longer active.</summary>
    Cleared,
}

/// <summary>
/// An alert as the MQTT publisher takes it: the thin adapter from the gateway's alert model builds one per alert
/// transition. The publisher sends it to the sensor's alert event topic and updates the sensor's retained alert
/// state; both go through the outbox while offline and are never dropped.
/// </summary>
/// <param name="SensorId">The sensor the alert is about.</param>
/// <param name="Key">Which alert of the sensor, stable across transitions, e.g. <c>temperature.high</c> or <c>stale</c>.</param>
/// <param name="Severity">How bad: <c>info</c>, <c>warning</c> or <c>critical</c> (others are passed through and rank lowest).</param>
/// <param name="Transition">Raised, re-notified or cleared.</param>
/// <param name="Timestamp">When the transition happened.</param>
/// <param name="Message">What a person needs to know.</param>
public sealed record MqttAlert(string SensorId, string Key, string Severity, MqttAlertTransition Transition, DateTimeOffset Timestamp, string Message)
{
    /// <summary>The quantity concerned (<c>temperature</c>, <c>humidity</c>, <c>pressure</c>), or null.</summary>
    public string? Quantity { get; init; }

    /// <summary>The value that caused the transition, in the quantity's canonical unit, or null.</summary>
    public double? Value { get; init; }

    /// <summary>The threshold crossed, in the quantity's canonical unit, or null.</summary>
    public double? Threshold { get; init; }

    /// <summary>Whether the alert is active after this transition.</summary>
    public bool IsActive => Transition != MqttAlertTransition.Cleared;

    /// <summary>The rank of <see cref="Severity"/>: critical 3, warning 2, info 1, anything else 0.</summary>
    public int SeverityRank => Severity switch
    {
        "critical" => 3,
        "warning" => 2,
        "info" => 1,
        _ => 0,
    };
}
