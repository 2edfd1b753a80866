using Floxide.Edge.Workflow;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Telemetry;

namespace Floxide.Edge.Tests.Mqtt;

/// <summary>A connection plus fleet ingest writing into a channel, as the gateway wires them.</summary>
internal sealed class IngestHarness : IAsyncDisposable
{
    private IngestHarness(MqttOptions options, TimeProvider time)
    {
        Options = options;
        Meter = new Meter(FloxideTelemetry.Name + ".Tests." + Guid.NewGuid().ToString("N"));
        Connection = new MqttConnection(options, new TestLogger<MqttConnection>(), time);
        Statuses = new StatusRecorder(Connection);
        Ingest = new MqttFleetIngest(options, Connection, Events, Directory, Logger, time, Meter);
    }

    public MqttOptions Options { get; }

    public Meter Meter { get; }

    public MqttConnection Connection { get; }

    public StatusRecorder Statuses { get; }

    public MqttFleetIngest Ingest { get; }

    public GatewayEventChannel Events { get; } = new(new GatewayWorkflowOptions());

    public SensorDirectory Directory { get; } = new();

    public TestLogger<MqttFleetIngest> Logger { get; } = new();

    public static MqttOptions DefaultOptions(int port, string gatewayId = "gw-test") => new()
    {
        Port = port,
        GatewayId = gatewayId,
        KeepAlive = TimeSpan.FromSeconds(5),
        Timeout = TimeSpan.FromSeconds(5),
        Reconnect = { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(500) },
        Ingest =
        {
            Subscriptions =
            {
                new MqttSubscriptionOptions { Topic = "fleet/{sensorId}/reading" },
                new MqttSubscriptionOptions { Topic = "bare/{sensorId}/{quantity}" },
            },
        },
    };

    public static async Task<IngestHarness> StartAsync(MqttOptions options, TimeProvider? time = null)
    {
        var harness = new IngestHarness(options, time ?? TimeProvider.System);
        await harness.Connection.StartAsync();
        await harness.Statuses.WaitForAsync(MqttConnectionState.Connected);
        return harness;
    }

    public async Task<SensorReading> NextReadingAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (await Events.WaitForEventAsync(cancel.Token) is SensorReading reading)
            {
                return reading;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        Meter.Dispose();
    }
}
