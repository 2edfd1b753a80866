namespace Floxide.Edge.Alerts;

/// <summary>
/// Where alert notifications go: the log, GPIO outputs, MQTT. The <see cref="AlertDispatcher"/> calls each sink from
/// its own delivery loop, never from the workflow loop, retrying a sink that throws.
/// </summary>
/// <remarks>
/// <para>Contract for implementers:</para>
/// <list type="bullet">
/// <item>Calls to one sink are sequential and in notification order (<see cref="AlertNotification.Sequence"/> ascends),
/// so an implementation needs no locking for its own state.</item>
/// <item>Throwing means "not delivered, try again": the dispatcher retries with back-off and counts the failure.
/// Make delivery idempotent per (<see cref="Alert.Id"/>, <see cref="AlertNotification.Sequence"/>), since a retry may
/// repeat a delivery that half succeeded.</item>
/// <item>Honour <c>cancellationToken</c>: it is cancelled when the attempt runs past
/// <see cref="AlertDeliveryOptions.AttemptTimeout"/> (the attempt then counts as failed and is retried) and when the
/// gateway stops. A sink that ignores it holds up its own queue for as long as it hangs.</item>
/// <item>A sink that keeps state (GPIO, MQTT retained messages) should treat <see cref="AlertTransition.Restored"/> like
/// <see cref="AlertTransition.Raised"/> for its state, without telling a person the alert is new: it is sent at start
/// for every alert that was active before a restart.</item>
/// </list>
/// </remarks>
public interface IAlertSink
{
    /// <summary>The sink's name, used in logs and in the <c>sink</c> tag of metrics.</summary>
    string Name { get; }

    /// <summary>Delivers one notification.</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">Cancelled when the attempt times out or the gateway stops.</param>
    /// <returns>A task that completes when the notification is delivered.</returns>
    ValueTask PublishAsync(AlertNotification notification, CancellationToken cancellationToken = default);
}
