using Floxide.Edge.Mqtt;
using Floxide.Edge.Tests.Mqtt.Broker;
using MQTTnet.Formatter;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class MqttProtocolFallbackTests
{
    private static MqttOptions Options(int port, MqttProtocol protocol) => new()
    {
        Port = port,
        GatewayId = "gw-311",
        Protocol = protocol,
        Timeout = TimeSpan.FromSeconds(5),
        Reconnect = { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) },
        Ingest = { ReceiveMaximum = 50, Subscriptions = { new MqttSubscriptionOptions { Topic = "fleet/{sensorId}/reading" } } },
    };

    [Fact]
    public async Task Connect_Auto_BrokerRejectsMqtt5_FallsBackTo311WithoutV5OnlySettings()
    {
        await using var broker = new Mqtt311OnlyBroker();
        var options = Options(broker.Port, MqttProtocol.Auto);
        await using var connection = new MqttConnection(options, new TestLogger<MqttConnection>(), TimeProvider.System);
        using var meter = new System.Diagnostics.Metrics.Meter("fallback-test");
        var ingest = new MqttFleetIngest(options, connection, new Floxide.Edge.Workflow.GatewayEventChannel(new Floxide.Edge.Workflow.GatewayWorkflowOptions()),
            new Floxide.Edge.Sensors.SensorDirectory(), new TestLogger<MqttFleetIngest>(), TimeProvider.System, meter);
        var statuses = new StatusRecorder(connection);

        await connection.StartAsync();
        await statuses.WaitForAsync(MqttConnectionState.Connected);

        Assert.Equal(MqttProtocolVersion.V311, connection.ProtocolVersion);
        Assert.Equal([5, 4], broker.ConnectLevels.Take(2));
        Assert.Contains("floxide/gw-311/availability", broker.PublishedTopics);
    }

    [Fact]
    public async Task Connect_V500Only_BrokerRejectsMqtt5_ReportsWhatToSet()
    {
        await using var broker = new Mqtt311OnlyBroker();
        await using var connection = new MqttConnection(Options(broker.Port, MqttProtocol.V500), new TestLogger<MqttConnection>(), TimeProvider.System);
        var statuses = new StatusRecorder(connection);

        await connection.StartAsync();
        var failed = await statuses.WaitForAsync(MqttConnectionState.Unreachable);

        Assert.Contains("Floxide:Mqtt:Protocol", failed.Detail, StringComparison.Ordinal);
        Assert.All(broker.ConnectLevels, level => Assert.Equal(5, level));
    }
}
