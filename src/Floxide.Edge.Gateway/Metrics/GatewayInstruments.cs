using System.Diagnostics.Metrics;
using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Telemetry;

namespace Floxide.Edge.Gateway.Metrics;

/// <summary>
/// The host's own instruments on the <c>Floxide.Edge</c> meter, observed from <see cref="GatewayStatus"/> and
/// <see cref="GatewayHealth"/> at each scrape: health, sensors by online state, active alerts and outbox depth.
/// </summary>
public sealed class GatewayInstruments
{
    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">Creates the <c>Floxide.Edge</c> meter.</param>
    /// <param name="status">The status observed.</param>
    /// <param name="health">The health observed.</param>
    public GatewayInstruments(IMeterFactory meterFactory, GatewayStatus status, GatewayHealth health)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(FloxideTelemetry.Name);
        meter.CreateObservableGauge("floxide.gateway.healthy", () => health.Latest.IsHealthy ? 1 : 0, "1",
            "1 while every health check passes (the systemd watchdog is fed), else 0.");
        meter.CreateObservableUpDownCounter("floxide.sensors", () =>
        {
            var sensors = status.Snapshot().Sensors;
            var online = sensors.Count(sensor => sensor.IsOnline);
            return (IEnumerable<Measurement<int>>)
            [
                new Measurement<int>(online, new KeyValuePair<string, object?>("state", "online")),
                new Measurement<int>(sensors.Count - online, new KeyValuePair<string, object?>("state", "offline")),
            ];
        }, "{sensor}", "Sensors known to the gateway, by state.");
        meter.CreateObservableUpDownCounter("floxide.alerts.active", () => status.Snapshot().ActiveAlerts.Count, "{alert}", "Alerts active now.");
        meter.CreateObservableUpDownCounter("floxide.outbox.depth", () =>
            status.Snapshot().OutboxDepth is { } depth ? [new Measurement<long>(depth)] : Array.Empty<Measurement<long>>(),
            "{message}", "Messages stored in the outbox, waiting for the broker.");
    }
}
