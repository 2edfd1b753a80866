using Floxide.Edge.Tests.Mqtt.Broker;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class ProcessKillTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("floxide-kill-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public async Task GatewayProcessSigkilledMidStream_ThenRestarted_EveryAcceptedReadingDeliveredAtLeastOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using (var subscriber = await MqttTestClient.ConnectAsync(broker.Port, clientId: "observer", persistent: true))
        {
            await subscriber.SubscribeAsync("floxide/gw-test/#");
        }

        var outbox = Path.Combine(directory.FullName, "outbox.db");
        var host = await TestHostProcess.StartAsync(broker.Port, outbox);
        await using var fleet = await MqttTestClient.ConnectAsync(broker.Port);
        await using var watcher = await MqttTestClient.ConnectAsync(broker.Port);
        await watcher.SubscribeAsync("floxide/gw-test/+/state");
        const int Sensors = 5;
        const int PerSensor = 300;

        // Every PublishAsync below returns on the broker's PUBACK: the broker has accepted the reading.
        for (var seq = 1; seq <= PerSensor; seq++)
        {
            await Task.WhenAll(Enumerable.Range(1, Sensors).Select(s => fleet.PublishAsync($"fleet/s{s}/reading", $$"""{"temperature":{{seq % 40}},"seq":{{seq}}}""")));
            if (seq == PerSensor / 3)
            {
                // Kill it while it is busy: wait until it has published something, so the kill lands mid-stream.
                await watcher.WaitForAsync(_ => true);
                await host.KillAsync();
            }
        }

        await host.DisposeAsync();
        await using var restarted = await TestHostProcess.StartAsync(broker.Port, outbox);
        await using var observer = await MqttTestClient.ConnectAsync(broker.Port, clientId: "observer", persistent: true);
        var received = await observer.CollectAsync(
            messages => Enumerable.Range(1, Sensors).All(s => NothingLostTests.FirstDeliveries(messages, $"s{s}").Count == PerSensor),
            TimeSpan.FromSeconds(60));

        for (var s = 1; s <= Sensors; s++)
        {
            Assert.Equal([.. Enumerable.Range(1, PerSensor).Select(i => (long)i)], NothingLostTests.FirstDeliveries(received, $"s{s}").Order());
        }

        // The kill was seen: the broker published the Last Will, then the restarted gateway announced itself again.
        var availability = received.Where(m => m.Topic == "floxide/gw-test/availability").Select(m => m.Payload).ToList();
        Assert.Equal(["online", "offline", "online"], availability);
    }
}
