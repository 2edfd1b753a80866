using System.Text.Json;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Readings;
using Floxide.Edge.Tests.Mqtt.Broker;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class MqttPublisherTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("floxide-publisher-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public async Task RoundTrip_FleetTopicToStateTopic_PublishesDocumentedSchemaAndAcknowledgesInput()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var observer = await MqttTestClient.ConnectAsync(broker.Port);
        await observer.SubscribeAsync("floxide/gw-test/+/state");
        await using var gateway = await GatewayHarness.StartAsync(IngestHarness.DefaultOptions(broker.Port), GatewayHarness.OutboxIn(directory));
        var writtenAtStart = gateway.Outbox.BytesWritten;
        await using var fleet = await MqttTestClient.ConnectAsync(broker.Port);

        await fleet.PublishAsync("fleet/t-17/reading", """{"temperature":21.54321,"humidity":40,"pressure":1013.25,"timestamp":"2026-11-25T10:00:00Z","seq":3}""");
        var state = await observer.WaitForAsync(m => m.Topic == "floxide/gw-test/t-17/state");

        using var json = JsonDocument.Parse(state.Payload);
        var root = json.RootElement;
        Assert.Equal("t-17", root.GetProperty("sensor").GetString());
        Assert.Equal("gw-test", root.GetProperty("gateway").GetString());
        Assert.Equal(3, root.GetProperty("seq").GetInt64());
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T10:00:00Z"), root.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(21.543, root.GetProperty("temperature").GetDouble());
        Assert.Equal(40, root.GetProperty("humidity").GetDouble());
        Assert.Equal(1013.25, root.GetProperty("pressure").GetDouble());
        Assert.Equal("good", root.GetProperty("quality").GetString());
        Assert.False(state.Retain);
        Assert.Equal(0, gateway.Outbox.Count);
        Assert.Equal(writtenAtStart, gateway.Outbox.BytesWritten); // online, the card is not touched
    }

    // 3.1.1 has no receive maximum at all: the drain's window must not depend on one.
    [Theory]
    [InlineData(MqttProtocol.V500)]
    [InlineData(MqttProtocol.V311)]
    public async Task WriteAsync_WhileBrokerDown_StoresInOutboxCompletesReceiptsThenDrainsInOrder(MqttProtocol protocol)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using (var subscriber = await MqttTestClient.ConnectAsync(broker.Port, clientId: "observer", persistent: true))
        {
            await subscriber.SubscribeAsync("floxide/gw-test/+/state");
        }

        await broker.StopAsync();
        var options = IngestHarness.DefaultOptions(broker.Port);
        options.Protocol = protocol;
        await using var gateway = await GatewayHarness.StartAsync(options, GatewayHarness.OutboxIn(directory), waitForConnection: false);
        var receipts = new List<CountingReceipt>();
        for (var i = 1; i <= 50; i++)
        {
            var receipt = new CountingReceipt();
            receipts.Add(receipt);
            var reading = new SensorReading(i % 2 == 0 ? "even" : "odd", DateTimeOffset.Parse("2026-11-25T10:00:00Z").AddSeconds(i), i, "test") { Receipt = receipt };
            reading.SetValue(Quantity.Temperature, i);
            await gateway.Publisher.WriteAsync(reading);
        }

        await Task.WhenAll(receipts.Select(r => r.Completed)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(50, gateway.Outbox.ReadingCount);
        Assert.True(gateway.Outbox.BytesWritten > 0);

        await broker.RestartAsync();
        await using var observer = await MqttTestClient.ConnectAsync(broker.Port, clientId: "observer", persistent: true);
        var states = await observer.CollectAsync(c => c.Count >= 50, TimeSpan.FromSeconds(30));

        foreach (var sensor in new[] { "odd", "even" })
        {
            var sequence = states.Where(s => s.Topic == $"floxide/gw-test/{sensor}/state").Select(s => JsonDocument.Parse(s.Payload).RootElement.GetProperty("seq").GetInt64()).ToList();
            Assert.Equal(25, sequence.Count);
            Assert.Equal([.. sequence.Order()], sequence);
        }

        await WaitUntilAsync(() => gateway.Outbox.Count == 0 && !gateway.Publisher.IsBacklogged);
    }

    [Fact]
    public async Task PublishAlertAsync_Offline_AlertsGoOutBeforeTheReadingBacklogAndStateIsRetained()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using (var subscriber = await MqttTestClient.ConnectAsync(broker.Port, clientId: "observer", persistent: true))
        {
            await subscriber.SubscribeAsync("floxide/gw-test/#");
        }

        await broker.StopAsync();
        var options = IngestHarness.DefaultOptions(broker.Port);
        await using var gateway = await GatewayHarness.StartAsync(options, GatewayHarness.OutboxIn(directory), waitForConnection: false);
        var at = DateTimeOffset.Parse("2026-11-25T10:00:00Z");
        for (var i = 1; i <= 5; i++)
        {
            var reading = new SensorReading("t1", at.AddSeconds(i), i, "test");
            reading.SetValue(Quantity.Temperature, 30 + i);
            await gateway.Publisher.WriteAsync(reading);
        }

        await gateway.Publisher.PublishAlertAsync(new MqttAlert("t1", "temperature.high", "warning", MqttAlertTransition.Raised, at.AddSeconds(3), "above 32 °C")
        {
            Quantity = "temperature", Value = 33, Threshold = 32,
        });
        await gateway.Publisher.PublishAlertAsync(new MqttAlert("t1", "stale", "critical", MqttAlertTransition.Raised, at.AddSeconds(4), "silent for 3 min"));
        await WaitUntilAsync(() => gateway.Outbox.Count == 9);

        await broker.RestartAsync();
        await using var observer = await MqttTestClient.ConnectAsync(broker.Port, clientId: "observer", persistent: true);
        var received = await observer.CollectAsync(c => c.Count(m => m.Topic.EndsWith("/state", StringComparison.Ordinal)) >= 5, TimeSpan.FromSeconds(30));
        var kinds = received.Where(m => m.Topic != "floxide/gw-test/availability").Select(m => m.Topic.Split('/', 4)[3]).ToList();

        Assert.Equal(["alert/event", "alert", "alert/event", "alert", "state", "state", "state", "state", "state"], kinds);
        await using var late = await MqttTestClient.ConnectAsync(broker.Port);
        await late.SubscribeAsync("floxide/gw-test/t1/alert");
        var retained = await late.WaitForAsync(m => m.Topic == "floxide/gw-test/t1/alert");
        using var state = JsonDocument.Parse(retained.Payload);
        Assert.True(retained.Retain);
        Assert.Equal("alert", state.RootElement.GetProperty("state").GetString());
        Assert.Equal("critical", state.RootElement.GetProperty("severity").GetString());
        Assert.Equal(["stale", "temperature.high"], state.RootElement.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("key").GetString()));

        await gateway.Publisher.PublishAlertAsync(new MqttAlert("t1", "stale", "critical", MqttAlertTransition.Cleared, at.AddSeconds(9), "reporting again"));
        await gateway.Publisher.PublishAlertAsync(new MqttAlert("t1", "temperature.high", "warning", MqttAlertTransition.Cleared, at.AddSeconds(9), "back to normal"));
        var cleared = await late.WaitForAsync(m => m.Topic == "floxide/gw-test/t1/alert" && m.Payload.Contains("\"state\":\"ok\"", StringComparison.Ordinal));
        Assert.Contains("\"severity\":\"none\"", cleared.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_WithReadingsQueued_StoresThemSoACleanShutdownLosesNothing()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await broker.StopAsync();
        var outboxOptions = GatewayHarness.OutboxIn(directory);
        await using (var gateway = await GatewayHarness.StartAsync(IngestHarness.DefaultOptions(broker.Port), outboxOptions, waitForConnection: false))
        {
            for (var i = 1; i <= 20; i++)
            {
                var reading = new SensorReading("t1", DateTimeOffset.UtcNow.AddSeconds(i - 20), i, "test");
                reading.SetValue(Quantity.Temperature, i);
                await gateway.Publisher.WriteAsync(reading);
            }
        }

        using var reopened = Floxide.Edge.Outbox.OutboxStore.Open(outboxOptions, new TestLogger<Floxide.Edge.Outbox.OutboxStore>(), TimeProvider.System, new System.Diagnostics.Metrics.Meter("x"));
        Assert.Equal(20, reopened.ReadingCount);
    }

    [Fact]
    public async Task BrokerStopsWithReadingsInFlight_NothingMoreArrives_EveryReceiptStillCompletes()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(IngestHarness.DefaultOptions(broker.Port), GatewayHarness.OutboxIn(directory));
        var receipts = new List<CountingReceipt>();
        for (var i = 1; i <= 200; i++)
        {
            var receipt = new CountingReceipt();
            receipts.Add(receipt);
            var reading = new SensorReading("t1", DateTimeOffset.UtcNow, i, "test") { Receipt = receipt };
            reading.SetValue(Quantity.Temperature, 20);
            await gateway.Publisher.WriteAsync(reading);
        }

        await broker.StopAsync();

        // Each reading was either acknowledged by the broker before it stopped, or stored: none is left in memory.
        await Task.WhenAll(receipts.Select(r => r.Completed)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(200, gateway.Publisher.Published + gateway.Outbox.ReadingCount);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Condition not met in time.");
            }

            // State inside the gateway with no event to await: poll briefly, bounded by the deadline.
            await Task.Delay(20);
        }
    }

    internal sealed class CountingReceipt : IReadingReceipt
    {
        private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completed => done.Task;

        public void Complete() => done.TrySetResult();
    }
}
