using System.Text.Json;
using Floxide.Edge.Readings;
using Floxide.Edge.Tests.Mqtt.Broker;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class NothingLostTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("floxide-nothing-lost-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public async Task BrokerStoppedMidStream_ThenRestarted_EveryReadingDeliveredInOrderPerSensorAndAvailabilityTruthful()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using (var subscriber = await MqttTestClient.ConnectAsync(broker.Port, clientId: "observer", persistent: true))
        {
            await subscriber.SubscribeAsync("floxide/gw-test/#");
        }

        var gateway = await GatewayHarness.StartAsync(IngestHarness.DefaultOptions(broker.Port), GatewayHarness.OutboxIn(directory));
        string[] onBoard = ["bme280-1", "sht31-1", "dht22-1"];
        const int Rounds = 240;
        const int FleetReadings = 40;

        // Fleet readings over MQTT before the outage.
        await using (var fleet = await MqttTestClient.ConnectAsync(broker.Port))
        {
            for (var seq = 1; seq <= FleetReadings / 2; seq++)
            {
                await fleet.PublishAsync("fleet/f1/reading", $$"""{"temperature":{{seq}},"seq":{{seq}}}""");
            }
        }

        // On-board readings before, during and after the outage, as the pollers would write them.
        var start = DateTimeOffset.UtcNow;
        for (var round = 1; round <= Rounds; round++)
        {
            foreach (var sensor in onBoard)
            {
                var reading = new SensorReading(sensor, start.AddMilliseconds(round * 10), round, "test poller");
                reading.SetValue(Quantity.Temperature, 20 + (round % 10));
                await gateway.Events.WriteReadingAsync(reading);
            }

            if (round == 80)
            {
                await broker.StopAsync();
                await gateway.Statuses.WaitForOccurrenceAsync(Floxide.Edge.Mqtt.MqttConnectionState.Disconnected, seenBefore: 0);
            }

            if (round == 160)
            {
                await broker.RestartAsync();
            }

            await Task.Delay(2); // a steady stream, not a burst
        }

        await using (var fleet = await MqttTestClient.ConnectAsync(broker.Port))
        {
            for (var seq = FleetReadings / 2 + 1; seq <= FleetReadings; seq++)
            {
                await fleet.PublishAsync("fleet/f1/reading", $$"""{"temperature":{{seq}},"seq":{{seq}}}""");
            }
        }

        await using var observer = await MqttTestClient.ConnectAsync(broker.Port, clientId: "observer", persistent: true);
        var expected = onBoard.ToDictionary(s => s, _ => Rounds);
        expected["f1"] = FleetReadings;
        var received = await observer.CollectAsync(
            messages => expected.All(e => FirstDeliveries(messages, e.Key).Count == e.Value),
            TimeSpan.FromSeconds(60));

        foreach (var (sensor, count) in expected)
        {
            var order = FirstDeliveries(received, sensor);
            Assert.Equal([.. Enumerable.Range(1, count).Select(i => (long)i)], order);
        }

        var availability = received.Where(m => m.Topic == "floxide/gw-test/availability").Select(m => m.Payload).ToList();
        // Online before, offline while the broker was gone (mosquitto publishes the will of every client it drops when
        // it stops), online again once reconnected.
        Assert.Equal(["online", "offline", "online"], availability);

        await gateway.DisposeAsync();
        var final = await observer.WaitForAsync(m => m.Topic == "floxide/gw-test/availability");
        Assert.Equal("offline", final.Payload);
    }

    /// <summary>The sequence numbers of a sensor's readings in the order first seen (duplicates from at-least-once removed).</summary>
    internal static List<long> FirstDeliveries(IEnumerable<ReceivedMessage> messages, string sensor)
    {
        var seen = new HashSet<long>();
        var order = new List<long>();
        foreach (var message in messages.Where(m => m.Topic == $"floxide/gw-test/{sensor}/state"))
        {
            var seq = JsonDocument.Parse(message.Payload).RootElement.GetProperty("seq").GetInt64();
            if (seen.Add(seq))
            {
                order.Add(seq);
            }
        }

        return order;
    }
}
