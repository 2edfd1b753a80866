using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Gateway.Tests.Status;

public sealed class GatewayStatusReporterTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly Dictionary<Quantity, ValueRange> Ranges = new() { [Quantity.Temperature] = new(-40, 85), [Quantity.RelativeHumidity] = new(0, 100) };

    [Fact]
    public async Task Reporter_SensorLifecycle_RowsAndActiveAlertsFollowReadingsAndAlerts()
    {
        var status = new GatewayStatus(TimeProvider.System);
        var directory = new SensorDirectory();
        directory.Register(new SensorDescriptor("attic", "bme280", SensorOrigin.Simulated, TimeSpan.FromSeconds(10), Ranges));
        var reporter = new GatewayStatusReporter(status, directory);
        directory.Register(new SensorDescriptor("cellar", "sht3x", SensorOrigin.Simulated, TimeSpan.FromSeconds(10), Ranges));
        var published = new List<SensorReading>();
        var sink = reporter.Decorate(new ListSink(published));

        Assert.Equal(["attic waiting False", "cellar waiting False"], Rows(status));
        Assert.StartsWith("2 sensors (0 online), 0 active alerts", status.Snapshot().ToStatusLine(), StringComparison.Ordinal);

        await sink.WriteAsync(Reading("attic", 41.25, 30));
        Assert.Single(published);
        Assert.Equal("41.3 °C  30.0 %", status.Snapshot().Sensors[0].LastValue);

        await reporter.PublishAsync(Notification(AlertTransition.Raised, Threshold("attic", Severity.Critical)));
        await reporter.PublishAsync(Notification(AlertTransition.Raised, Offline("cellar")));
        Assert.Equal(["attic critical True", "cellar offline False"], Rows(status));
        Assert.Equal(["critical: attic temperature 41.25 °C", "critical: cellar is offline"], status.Snapshot().ActiveAlerts);

        await reporter.PublishAsync(Notification(AlertTransition.Cleared, Threshold("attic", Severity.Critical) with { ClearedAt = At }));
        await sink.WriteAsync(Reading("cellar", 12, 60));
        await reporter.PublishAsync(Notification(AlertTransition.Cleared, Offline("cellar") with { ClearedAt = At }));

        Assert.Equal(["attic normal True", "cellar normal True"], Rows(status));
        Assert.Empty(status.Snapshot().ActiveAlerts);
        Assert.Equal("12.0 °C  60.0 %", status.Snapshot().Sensors[1].LastValue);

        directory.Remove("attic");
        Assert.Equal(["cellar normal True"], Rows(status));
    }

    [Fact]
    public void ReportReading_AfterASnapshot_ShowsTheNewValuesAndKeepsThemThroughStateChanges()
    {
        var status = new GatewayStatus(TimeProvider.System);

        status.ReportReading(Reading("attic", 20, 40), "normal");
        Assert.Equal("20.0 °C  40.0 %", status.Snapshot().Sensors[0].LastValue);
        status.ReportReading(Reading("attic", 21.5, 41), "normal");
        Assert.Equal("21.5 °C  41.0 %", status.Snapshot().Sensors[0].LastValue);
        status.ReportSensor("attic", "stale", lastValue: null, isOnline: false);

        var row = Assert.Single(status.Snapshot().Sensors);
        Assert.Equal(("stale", false, "21.5 °C  41.0 %"), (row.State, row.IsOnline, row.LastValue));
    }

    private static string[] Rows(GatewayStatus status) =>
        [.. status.Snapshot().Sensors.Select(sensor => $"{sensor.SensorId} {sensor.State} {sensor.IsOnline}")];

    private static SensorReading Reading(string sensor, double celsius, double humidity) => new(sensor, At, 1, "test")
    {
        Temperature = UnitsNet.Temperature.FromDegreesCelsius(celsius),
        Humidity = UnitsNet.RelativeHumidity.FromPercent(humidity),
    };

    private static Alert Threshold(string sensor, Severity severity) => new()
    {
        Id = AlertIds.Threshold(sensor, Quantity.Temperature),
        Kind = AlertKind.Threshold,
        Severity = severity,
        SensorId = sensor,
        Quantity = Quantity.Temperature,
        RaisedAt = At,
        ChangedAt = At,
        Message = $"{sensor} temperature 41.25 °C",
    };

    private static Alert Offline(string sensor) => new()
    {
        Id = AlertIds.Offline(sensor),
        Kind = AlertKind.Offline,
        Severity = Severity.Critical,
        SensorId = sensor,
        RaisedAt = At,
        ChangedAt = At,
        Message = $"{sensor} is offline",
    };

    private static AlertNotification Notification(AlertTransition transition, Alert alert) => new(1, transition, alert, Severity.Normal, At);

    private sealed class ListSink(List<SensorReading> published) : IReadingSink
    {
        public ValueTask WriteAsync(SensorReading reading, CancellationToken cancellationToken = default)
        {
            published.Add(reading);
            return ValueTask.CompletedTask;
        }
    }
}
