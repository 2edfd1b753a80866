using System.Text.Json;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Readings;
using Floxide.Edge.Tests.Mqtt.Broker;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class MqttAlertSinkTests : IDisposable
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("floxide-alert-sink-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public async Task PublishAsync_RaisedEscalatedCleared_PublishesEventsAndKeepsTheRetainedStateUnderOneKey()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var observer = await MqttTestClient.ConnectAsync(broker.Port);
        await observer.SubscribeAsync("floxide/gw-test/t-17/alert/#");
        await using var gateway = await GatewayHarness.StartAsync(IngestHarness.DefaultOptions(broker.Port), GatewayHarness.OutboxIn(directory));
        var sink = new MqttAlertSink(gateway.Publisher);

        await sink.PublishAsync(Notification(1, AlertTransition.Raised, Severity.Warning, ThresholdZone.WarningHigh, 31.2, 30));
        await sink.PublishAsync(Notification(2, AlertTransition.Escalated, Severity.Critical, ThresholdZone.CriticalHigh, 41.5, 40));
        var received = await observer.CollectAsync(messages => messages.Count >= 4, TimeSpan.FromSeconds(30));

        var events = received.Where(m => m.Topic.EndsWith("/event", StringComparison.Ordinal)).ToList();
        Assert.Equal(["raised", "raised"], events.Select(e => Property(e.Payload, "transition")));
        Assert.Equal(["warning", "critical"], events.Select(e => Property(e.Payload, "severity")));
        Assert.All(events, e => Assert.Equal("temperature", Property(e.Payload, "key")));
        using (var escalated = JsonDocument.Parse(events[1].Payload))
        {
            Assert.Equal(41.5, escalated.RootElement.GetProperty("value").GetDouble());
            Assert.Equal(40, escalated.RootElement.GetProperty("threshold").GetDouble());
            Assert.Equal("temperature", escalated.RootElement.GetProperty("quantity").GetString());
        }

        var state = received.Last(m => m.Topic == "floxide/gw-test/t-17/alert");
        Assert.Equal("critical", Property(state.Payload, "severity"));
        Assert.Single(Alerts(state.Payload));
        await using (var late = await MqttTestClient.ConnectAsync(broker.Port))
        {
            await late.SubscribeAsync("floxide/gw-test/t-17/alert");
            var retained = await late.WaitForAsync(m => m.Topic == "floxide/gw-test/t-17/alert");
            Assert.True(retained.Retain);
            Assert.Equal(state.Payload, retained.Payload);
        }

        await sink.PublishAsync(Notification(3, AlertTransition.Cleared, Severity.Critical, ThresholdZone.Normal, 25, 40, cleared: true));
        var cleared = await observer.WaitForAsync(m => m.Topic.EndsWith("/event", StringComparison.Ordinal) && Property(m.Payload, "transition") == "cleared");
        Assert.Equal("temperature", Property(cleared.Payload, "key"));
        var after = await observer.WaitForAsync(m => m.Topic == "floxide/gw-test/t-17/alert");
        Assert.Empty(Alerts(after.Payload));
    }

    [Theory]
    [InlineData(AlertTransition.Raised, MqttAlertTransition.Raised)]
    [InlineData(AlertTransition.Escalated, MqttAlertTransition.Raised)]
    [InlineData(AlertTransition.Deescalated, MqttAlertTransition.Renotified)]
    [InlineData(AlertTransition.Renotified, MqttAlertTransition.Renotified)]
    [InlineData(AlertTransition.Restored, MqttAlertTransition.Renotified)]
    [InlineData(AlertTransition.Cleared, MqttAlertTransition.Cleared)]
    public void ToMqttAlert_EachTransition_MapsToThePublishersTransition(AlertTransition transition, MqttAlertTransition expected)
    {
        var alert = MqttAlertSink.ToMqttAlert(Notification(7, transition, Severity.Warning, ThresholdZone.WarningLow, 9.5, 10, cleared: transition == AlertTransition.Cleared));

        Assert.Equal(expected, alert.Transition);
        Assert.Equal("t-17", alert.SensorId);
        Assert.Equal("temperature", alert.Key);
        Assert.Equal("warning", alert.Severity);
    }

    [Fact]
    public void ToMqttAlert_StaleAndOffline_KeyedByKind()
    {
        Assert.Equal("stale", MqttAlertSink.ToMqttAlert(Other(AlertKind.Stale, AlertIds.Stale("t-17"))).Key);
        Assert.Equal("offline", MqttAlertSink.ToMqttAlert(Other(AlertKind.Offline, AlertIds.Offline("t-17"))).Key);
    }

    private static AlertNotification Notification(long sequence, AlertTransition transition, Severity severity, ThresholdZone zone, double value, double threshold, bool cleared = false)
    {
        var alert = new Alert
        {
            Id = AlertIds.Threshold("t-17", Quantity.Temperature),
            Kind = AlertKind.Threshold,
            Severity = severity,
            SensorId = "t-17",
            Quantity = Quantity.Temperature,
            Zone = zone,
            Value = value,
            Threshold = threshold,
            RaisedAt = At,
            ChangedAt = At.AddSeconds(sequence),
            ClearedAt = cleared ? At.AddSeconds(sequence) : null,
            Message = $"t-17 temperature {value} °C",
        };
        return new AlertNotification(sequence, transition, alert, Severity.Normal, At.AddSeconds(sequence));
    }

    private static AlertNotification Other(AlertKind kind, string id) => new(1, AlertTransition.Raised, new Alert
    {
        Id = id,
        Kind = kind,
        Severity = Severity.Critical,
        SensorId = "t-17",
        RaisedAt = At,
        ChangedAt = At,
        Message = "t-17 is silent",
    }, Severity.Normal, At);

    private static List<JsonElement> Alerts(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("alerts").EnumerateArray()];

    private static string? Property(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty(name, out var value) ? value.ToString() : null;
    }
}
