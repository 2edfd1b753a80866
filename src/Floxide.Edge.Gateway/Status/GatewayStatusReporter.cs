using System.Collections.Concurrent;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Gateway.Status;

/// <summary>
/// Keeps <see cref="GatewayStatus"/> current from the running gateway: every known sensor (from the
/// <see cref="SensorDirectory"/>), each sensor's last published values (as a decorator of the workflow's reading sink),
/// and the active alerts and each sensor's state (as an alert sink: <c>normal</c>, <c>warning</c>, <c>critical</c>,
/// <c>stale</c>, <c>offline</c>; <c>waiting</c> before the first reading).
/// </summary>
/// <remarks>
/// Thread-safe. Alert notifications arrive one at a time from the alert dispatcher; readings from the workflow loop.
/// </remarks>
public sealed class GatewayStatusReporter : IAlertSink
{
    /// <summary>The state of a sensor that has not reported yet.</summary>
    public const string Waiting = "waiting";

    private readonly GatewayStatus status;
    private readonly ConcurrentDictionary<string, SensorCondition> conditions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Alert> active = new(StringComparer.Ordinal);
    private readonly Lock alertGate = new();

    /// <summary>Creates the reporter and lists every sensor the directory knows, now and later.</summary>
    /// <param name="status">The status to keep current.</param>
    /// <param name="directory">The gateway's sensors.</param>
    public GatewayStatusReporter(GatewayStatus status, SensorDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(directory);
        this.status = status;
        directory.Registered += OnRegistered;
        directory.Removed += descriptor =>
        {
            conditions.TryRemove(descriptor.Id, out _);
            status.RemoveSensor(descriptor.Id);
        };
        foreach (var descriptor in directory.All)
        {
            OnRegistered(descriptor);
        }
    }

    /// <inheritdoc/>
    public string Name => "status";

    /// <summary>Wraps the workflow's reading sink so that each published reading updates its sensor's row first.</summary>
    /// <param name="inner">The sink readings are published to.</param>
    /// <returns>The decorating sink.</returns>
    public IReadingSink Decorate(IReadingSink inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new ReportingSink(this, inner);
    }

    /// <inheritdoc/>
    public ValueTask PublishAsync(AlertNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var alert = notification.Alert;
        string[] lines;
        SensorCondition condition;
        lock (alertGate)
        {
            if (notification.Transition == AlertTransition.Cleared || !alert.IsActive)
            {
                active.Remove(alert.Id);
            }
            else
            {
                active[alert.Id] = alert;
            }

            lines = [.. active.Values
                .OrderBy(a => a.SensorId, StringComparer.Ordinal)
                .ThenBy(a => a.Id, StringComparer.Ordinal)
                .Select(a => $"{a.Severity.Name()}: {a.Message}")];
            condition = ConditionOf(alert.SensorId);
        }

        status.ReportActiveAlerts(lines);
        var previous = conditions.GetValueOrDefault(alert.SensorId);
        if (previous is { State: Waiting } && condition.IsOnline)
        {
            // No reading yet: a threshold alert restored after a restart does not make the sensor report.
            condition = condition with { State = Waiting, IsOnline = false };
        }

        conditions[alert.SensorId] = condition;
        status.ReportSensor(alert.SensorId, condition.State, lastValue: null, condition.IsOnline);
        return ValueTask.CompletedTask;
    }

    private void OnRegistered(SensorDescriptor descriptor)
    {
        if (conditions.TryAdd(descriptor.Id, new SensorCondition(Waiting, IsOnline: false)))
        {
            status.ReportSensor(descriptor.Id, Waiting, lastValue: null, isOnline: false);
        }
    }

    private void OnPublished(SensorReading reading)
    {
        var condition = conditions.GetValueOrDefault(reading.SensorId);
        var state = condition is null or { State: Waiting } ? "normal" : condition.State;

        // A reading shows the sensor answers; a stale or offline alert clears a moment later, from the dispatcher.
        var next = new SensorCondition(state, IsOnline: true);
        if (condition != next)
        {
            conditions[reading.SensorId] = next;
        }

        status.ReportReading(reading, state);
    }

    private SensorCondition ConditionOf(string sensorId)
    {
        var worst = (Rank: 0, State: "normal", IsOnline: true);
        foreach (var alert in active.Values)
        {
            if (!string.Equals(alert.SensorId, sensorId, StringComparison.Ordinal))
            {
                continue;
            }

            var candidate = alert.Kind switch
            {
                AlertKind.Offline => (Rank: 4, State: "offline", IsOnline: false),
                AlertKind.Stale => (Rank: 3, State: "stale", IsOnline: false),
                _ when alert.Severity == Severity.Critical => (Rank: 2, State: "critical", IsOnline: true),
                _ => (Rank: 1, State: "warning", IsOnline: true),
            };
            if (candidate.Rank > worst.Rank)
            {
                worst = candidate;
            }
        }

        return new SensorCondition(worst.State, worst.IsOnline);
    }

    private sealed record SensorCondition(string State, bool IsOnline);

    private sealed class ReportingSink(GatewayStatusReporter reporter, IReadingSink inner) : IReadingSink
    {
        public ValueTask WriteAsync(SensorReading reading, CancellationToken cancellationToken = default)
        {
            reporter.OnPublished(reading);
            return inner.WriteAsync(reading, cancellationToken);
        }
    }
}
