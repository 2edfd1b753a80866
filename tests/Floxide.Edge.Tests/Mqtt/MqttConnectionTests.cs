using Floxide.Edge.Mqtt;
using Floxide.Edge.Tests.Mqtt.Broker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MQTTnet.Formatter;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class MqttConnectionTests
{
    private static MqttOptions Options(int port, Action<MqttOptions>? configure = null)
    {
        var options = new MqttOptions
        {
            Port = port,
            GatewayId = "gw-test",
            TopicPrefix = "floxide",
            KeepAlive = TimeSpan.FromSeconds(5),
            Timeout = TimeSpan.FromSeconds(5),
            Reconnect = { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(400), RefusedDelay = TimeSpan.FromSeconds(30) },
        };
        configure?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task StartAsync_BrokerUp_ConnectsWithMqtt5AndAnnouncesOnlineRetained()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var connection = new MqttConnection(Options(broker.Port), new TestLogger<MqttConnection>(), TimeProvider.System);
        var statuses = new StatusRecorder(connection);

        await connection.StartAsync();
        await statuses.WaitForAsync(MqttConnectionState.Connected);

        await using var observer = await MqttTestClient.ConnectAsync(broker.Port);
        await observer.SubscribeAsync("floxide/gw-test/availability");
        var availability = await observer.WaitForAsync(m => m.Topic == "floxide/gw-test/availability");
        Assert.Equal("online", availability.Payload);
        Assert.True(availability.Retain);
        Assert.Equal(MqttProtocolVersion.V500, connection.ProtocolVersion);
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task StopAsync_Connected_PublishesOfflineRetainedBeforeCleanDisconnect()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var connection = new MqttConnection(Options(broker.Port), new TestLogger<MqttConnection>(), TimeProvider.System);
        var statuses = new StatusRecorder(connection);
        await connection.StartAsync();
        await statuses.WaitForAsync(MqttConnectionState.Connected);

        await connection.StopAsync();
        await connection.DisposeAsync();

        await using var observer = await MqttTestClient.ConnectAsync(broker.Port);
        await observer.SubscribeAsync("floxide/gw-test/availability");
        var availability = await observer.WaitForAsync(m => m.Topic == "floxide/gw-test/availability");
        Assert.Equal("offline", availability.Payload);
        Assert.Equal(MqttConnectionState.Stopped, connection.Status.State);
    }

    [Fact]
    public async Task StartAsync_V311Configured_ConnectsWithV311()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var connection = new MqttConnection(Options(broker.Port, o => o.Protocol = MqttProtocol.V311), new TestLogger<MqttConnection>(), TimeProvider.System);
        var statuses = new StatusRecorder(connection);

        await connection.StartAsync();
        var connected = await statuses.WaitForAsync(MqttConnectionState.Connected);

        Assert.Equal(MqttProtocolVersion.V311, connection.ProtocolVersion);
        Assert.Contains("MQTT 3.1.1", connected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BadPassword_ReportsRefusedNeverLogsPasswordAndRetriesOnlyAfterRefusedDelay()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoConfig { Users = new Dictionary<string, string> { ["gateway"] = "right-password" } });
        var passwordFile = Path.Combine(broker.Directory.FullName, "gateway.password");
        await File.WriteAllTextAsync(passwordFile, "wrong-password-7f3a\n");
        var time = new ObservedTimeProvider();
        var logger = new TestLogger<MqttConnection>();
        await using var connection = new MqttConnection(
            Options(broker.Port, o => { o.Username = "gateway"; o.PasswordFile = passwordFile; }), logger, time, random: () => 0.5);
        var statuses = new StatusRecorder(connection);

        await connection.StartAsync();
        var refused = await statuses.WaitForAsync(MqttConnectionState.Refused);

        Assert.Contains("Floxide:Mqtt:Username", refused.Detail, StringComparison.Ordinal);
        Assert.Contains("NotAuthorized", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryIn);
        Assert.Equal(TimeSpan.FromSeconds(30), await time.NextTimerAsync());
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, statuses.Count(MqttConnectionState.Connecting));

        // The fixed password is picked up at the next attempt: the file is read at every connect.
        await File.WriteAllTextAsync(passwordFile, "right-password\n");
        time.Advance(TimeSpan.FromSeconds(1));
        await statuses.WaitForAsync(MqttConnectionState.Connected);
        Assert.Equal(2, statuses.Count(MqttConnectionState.Connecting));
        Assert.DoesNotContain("wrong-password-7f3a", logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("right-password", logger.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SystemdCredentialWithoutCredentialsDirectory_ReportsWhatToSet()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        Assert.Null(Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY"));
        await using var connection = new MqttConnection(
            Options(broker.Port, o => { o.Username = "gateway"; o.PasswordCredential = "mqtt-password"; }), new TestLogger<MqttConnection>(), new FakeTimeProvider());
        var statuses = new StatusRecorder(connection);

        await connection.StartAsync();
        var failed = await statuses.WaitForAsync(MqttConnectionState.Unreachable);

        Assert.Contains("CREDENTIALS_DIRECTORY", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("LoadCredential=mqtt-password", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NoBroker_BacksOffExponentiallyCappedThenConnectsWhenBrokerAppears()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await broker.StopAsync();
        var time = new ObservedTimeProvider();
        await using var connection = new MqttConnection(Options(broker.Port), new TestLogger<MqttConnection>(), time, random: () => 0.5);
        var statuses = new StatusRecorder(connection);
        await connection.StartAsync();

        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            var failed = await statuses.WaitForAsync(s => s.State == MqttConnectionState.Unreachable && s.FailedAttempts == attempt);
            Assert.Contains("refused", failed.Detail, StringComparison.Ordinal);
            delays.Add(failed.RetryIn!.Value);
            Assert.Equal(failed.RetryIn.Value.TotalMilliseconds, (await time.NextTimerAsync()).TotalMilliseconds, tolerance: 1);
            time.Advance(failed.RetryIn.Value);
        }

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(400)));
        Assert.True(delays[^1] > delays[0] * 3, $"delays should grow: {string.Join(", ", delays)}");
        Assert.Equal(TimeSpan.FromMilliseconds(400), delays[^1]);

        var lastFailure = await statuses.WaitForAsync(s => s.State == MqttConnectionState.Unreachable && s.FailedAttempts == 9);
        await broker.RestartAsync();
        Assert.Equal(lastFailure.RetryIn!.Value.TotalMilliseconds, (await time.NextTimerAsync()).TotalMilliseconds, tolerance: 1);
        time.Advance(lastFailure.RetryIn!.Value);
        await statuses.WaitForAsync(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task BrokerRestart_WhileConnected_ReconnectsAndAnnouncesOnlineAgain()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var connection = new MqttConnection(Options(broker.Port), new TestLogger<MqttConnection>(), TimeProvider.System);
        var statuses = new StatusRecorder(connection);
        await connection.StartAsync();
        await statuses.WaitForAsync(MqttConnectionState.Connected);

        await broker.RestartAsync();
        await statuses.WaitForAsync(MqttConnectionState.Disconnected);
        await statuses.WaitForOccurrenceAsync(MqttConnectionState.Connected, seenBefore: 1);

        await using var observer = await MqttTestClient.ConnectAsync(broker.Port);
        await observer.SubscribeAsync("floxide/gw-test/availability");
        Assert.Equal("online", (await observer.WaitForAsync(m => m.Topic == "floxide/gw-test/availability")).Payload);
    }
}
