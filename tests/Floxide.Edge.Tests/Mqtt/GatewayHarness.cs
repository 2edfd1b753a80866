using Floxide.Edge.Workflow;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Outbox;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Tests.Mqtt;

/// <summary>
/// The MQTT half of the gateway as the host wires it: connection, fleet ingest into the event channel, a relay that
/// stands in for the workflow (every reading goes to the sink), the publisher and its outbox.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task? relay;

    private GatewayHarness(MqttOptions options, OutboxOptions outboxOptions, TimeProvider time)
    {
        Options = options;
        Meter = new Meter("Floxide.Edge.Tests.Gateway." + Guid.NewGuid().ToString("N"));
        Connection = new MqttConnection(options, new TestLogger<MqttConnection>(), time);
        Statuses = new StatusRecorder(Connection);
        Ingest = new MqttFleetIngest(options, Connection, Events, Directory, new TestLogger<MqttFleetIngest>(), time, Meter);
        Outbox = OutboxStore.Open(outboxOptions, new TestLogger<OutboxStore>(), time, Meter);
        Publisher = new MqttPublisher(options, outboxOptions, Connection, Outbox, PublisherLogger, time, Meter);
    }

    public MqttOptions Options { get; }

    public Meter Meter { get; }

    public MqttConnection Connection { get; }

    public StatusRecorder Statuses { get; }

    public MqttFleetIngest Ingest { get; }

    public OutboxStore Outbox { get; }

    public MqttPublisher Publisher { get; }

    public TestLogger<MqttPublisher> PublisherLogger { get; } = new();

    public GatewayEventChannel Events { get; } = new(new GatewayWorkflowOptions());

    public SensorDirectory Directory { get; } = new();

    public static OutboxOptions OutboxIn(DirectoryInfo directory) => new()
    {
        Path = Path.Combine(directory.FullName, "outbox.db"),
        FlushInterval = TimeSpan.FromMilliseconds(20),
        Durability = OutboxDurability.Normal,
    };

    public static async Task<GatewayHarness> StartAsync(MqttOptions options, OutboxOptions outboxOptions, bool waitForConnection = true, TimeProvider? time = null)
    {
        var harness = new GatewayHarness(options, outboxOptions, time ?? TimeProvider.System);
        await harness.Publisher.StartAsync();
        harness.relay = Task.Run(() => harness.RelayAsync(harness.stopping.Token));
        await harness.Connection.StartAsync();
        if (waitForConnection)
        {
            await harness.Statuses.WaitForAsync(MqttConnectionState.Connected);
        }

        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (relay is not null)
        {
            await relay;
        }

        await Publisher.DisposeAsync();
        await Connection.DisposeAsync();
        Outbox.Dispose();
        Meter.Dispose();
        stopping.Dispose();
    }

    private async Task RelayAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (await Events.WaitForEventAsync(cancellationToken) is SensorReading reading)
                {
                    await Publisher.WriteAsync(reading, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
