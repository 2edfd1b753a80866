using Floxide.Edge.Workflow;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Mqtt;

/// <summary>
/// A connection plus fleet ingest writing into a channel, as the gateway wires them. The ingest runs on
/// <see cref="Clock"/>, a fake clock, so its timestamps and sequence numbers are exact; the connection runs on the real
/// clock, because its reconnect back-off must elapse while a test awaits the broker.
/// </summary>
internal sealed class IngestHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private IngestHarness(MqttOptions options, FakeTimeProvider clock)
    {
        Options = options;
        Clock = clock;
        Meter = new Meter(FloxideTelemetry.Name + ".Tests." + Guid.NewGuid().ToString("N"));
        Connection = new MqttConnection(options, new TestLogger<MqttConnection>(), TimeProvider.System);
        Statuses = new StatusRecorder(Connection);
        Ingest = new MqttFleetIngest(options, Connection, Events, Directory, Logger, clock, Meter);
    }

    public FakeTimeProvider Clock { get; }

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

    public static async Task<IngestHarness> StartAsync(MqttOptions options, FakeTimeProvider? clock = null)
    {
        var harness = new IngestHarness(options, clock ?? new FakeTimeProvider(DefaultStart));
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
