using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Floxide.Edge.Gateway.Broker;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Outbox;
using Floxide.Edge.Readings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace Floxide.Edge.Gateway.Tests.Broker;

/// <summary>
/// The gateway's own publisher against its embedded broker, whose CONNACK carries no receive maximum: readings taken
/// before the first connect wait in the outbox and must drain once it comes.
/// </summary>
public sealed class EmbeddedBrokerBacklogTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Drain_ReadingsStoredBeforeTheFirstConnect_AllReachTheSubscriber()
    {
        var state = Directory.CreateTempSubdirectory("floxide-backlog-");
        using var broker = new EmbeddedBroker(Options.Create(new EmbeddedBrokerOptions { Port = 0 }), new GatewayStatus(TimeProvider.System), NullLogger<EmbeddedBroker>.Instance);
        await broker.StartAsync(CancellationToken.None);
        try
        {
            var states = new ConcurrentQueue<string>();
            var allFive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var watcher = new MqttClientFactory().CreateMqttClient();
            watcher.ApplicationMessageReceivedAsync += e =>
            {
                states.Enqueue(e.ApplicationMessage.Topic);
                if (states.Count == 5)
                {
                    allFive.TrySetResult();
                }

                return Task.CompletedTask;
            };
            await watcher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).Build()).WaitAsync(Patience);
            await watcher.SubscribeAsync("floxide/gw/+/state").WaitAsync(Patience);

            var options = new MqttOptions { Port = broker.Port, GatewayId = "gw" };
            var outboxOptions = new OutboxOptions { Path = Path.Combine(state.FullName, "outbox.db"), FlushInterval = TimeSpan.FromMilliseconds(20) };
            using var meter = new Meter("embedded-backlog-test");
            await using var connection = new MqttConnection(options, NullLogger<MqttConnection>.Instance, TimeProvider.System);
            using var outbox = OutboxStore.Open(outboxOptions, NullLogger<OutboxStore>.Instance, TimeProvider.System, meter);
            await using var publisher = new MqttPublisher(options, outboxOptions, connection, outbox, NullLogger<MqttPublisher>.Instance, TimeProvider.System, meter);
            await publisher.StartAsync();

            var stored = new List<Task>();
            for (var i = 1; i <= 5; i++)
            {
                var receipt = new Receipt();
                stored.Add(receipt.Completed);
                var reading = new SensorReading($"s{i}", DateTimeOffset.UtcNow, i, "test") { Receipt = receipt };
                reading.SetValue(Quantity.Temperature, 20 + i);
                await publisher.WriteAsync(reading);
            }

            await Task.WhenAll(stored).WaitAsync(Patience);
            Assert.Equal(5, outbox.ReadingCount);

            await connection.StartAsync();
            await allFive.Task.WaitAsync(Patience);

            Assert.Equal(["floxide/gw/s1/state", "floxide/gw/s2/state", "floxide/gw/s3/state", "floxide/gw/s4/state", "floxide/gw/s5/state"], states);
            await watcher.DisconnectAsync();
        }
        finally
        {
            await broker.StopAsync(CancellationToken.None);
            state.Delete(recursive: true);
        }
    }

    private sealed class Receipt : IReadingReceipt
    {
        private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completed => done.Task;

        public void Complete() => done.TrySetResult();
    }
}
