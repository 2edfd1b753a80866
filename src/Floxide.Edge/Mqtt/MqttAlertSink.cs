using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// The alert sink that publishes over MQTT: each <see cref="AlertNotification"/> becomes an <see cref="MqttAlert"/> for
/// <see cref="MqttPublisher.PublishAlertAsync"/>, which sends the event and the sensor's retained alert state, through
/// the outbox while offline. The alert's key is its kind within the sensor (<c>temperature</c>, <c>humidity</c>,
/// <c>pressure</c>, <c>stale</c>, <c>offline</c>), stable across escalations and restarts.
/// </summary>
/// <remarks>
/// Transitions map onto the publisher's three: raised and escalated are <c>raised</c> (a person should look);
/// de-escalated, reminders and alerts restored after a restart are <c>renotified</c> (still active, state refreshed);
/// cleared is <c>cleared</c>.
/// </remarks>
/// <param name="publisher">The publisher.</param>
public sealed class MqttAlertSink(MqttPublisher publisher) : IAlertSink
{
    private readonly MqttPublisher publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));

    /// <inheritdoc/>
    public string Name => "mqtt";

    /// <summary>The alert as the publisher takes it.</summary>
    /// <param name="notification">The notification.</param>
    /// <returns>The MQTT alert.</returns>
    public static MqttAlert ToMqttAlert(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var alert = notification.Alert;
        var transition = notification.Transition switch
        {
            AlertTransition.Raised or AlertTransition.Escalated => MqttAlertTransition.Raised,
            AlertTransition.Cleared => MqttAlertTransition.Cleared,
            _ => MqttAlertTransition.Renotified,
        };
        var key = alert.Kind switch
        {
            AlertKind.Threshold when alert.Quantity is { } quantity => quantity.Name(),
            AlertKind.Stale => "stale",
            AlertKind.Offline => "offline",
            _ => alert.Id,
        };
        return new MqttAlert(alert.SensorId, key, alert.Severity.Name(), transition, notification.Timestamp, alert.Message)
        {
            Quantity = alert.Quantity?.Name(),
            Value = alert.Value,
            Threshold = alert.Threshold,
        };
    }

    /// <inheritdoc/>
    public ValueTask PublishAsync(AlertNotification notification, CancellationToken cancellationToken = default) =>
        publisher.PublishAlertAsync(ToMqttAlert(notification), cancellationToken);
}
