using System.Net;
using System.Net.Sockets;
using System.Text;
using Floxide.Edge.Gateway.Broker;
using Floxide.Edge.Gateway.Status;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace Floxide.Edge.Gateway.Tests.Broker;

public sealed class EmbeddedBrokerTests
{
    [Fact]
    public async Task PublishAsync_SubscribedClient_ReceivesTheMessage()
    {
        var status = new GatewayStatus(TimeProvider.System);
        using var broker = new EmbeddedBroker(Options.Create(new EmbeddedBrokerOptions { Port = 0 }), status, NullLogger<EmbeddedBroker>.Instance);
        await broker.StartAsync(CancellationToken.None);
        try
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var received = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.ApplicationMessageReceivedAsync += e =>
            {
                received.TrySetResult(e.ApplicationMessage);
                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).Build());
            await client.SubscribeAsync("floxide/#");

            var payload = Encoding.UTF8.GetBytes("{\"temperature_c\":11.5}");
            await broker.PublishAsync("floxide/sample/cellar/reading", payload, retain: true);
            payload.AsSpan().Fill((byte)'x');

            var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("floxide/sample/cellar/reading", message.Topic);
            Assert.Equal("{\"temperature_c\":11.5}", message.ConvertPayloadToString());
            Assert.StartsWith($"embedded 127.0.0.1:{broker.Port}, 1 client", status.Snapshot().Broker, StringComparison.Ordinal);
            Assert.Equal($"mosquitto_sub -V mqttv5 -h 127.0.0.1 -p {broker.Port} -t 'floxide/#' -v", broker.WatchCommand);
            await client.DisconnectAsync();

            // A later subscriber gets the retained copy, which must not share the publisher's (since reused) buffer.
            using var late = new MqttClientFactory().CreateMqttClient();
            var retained = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            late.ApplicationMessageReceivedAsync += e =>
            {
                retained.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
                return Task.CompletedTask;
            };
            await late.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).Build());
            await late.SubscribeAsync("floxide/#");
            Assert.Equal("{\"temperature_c\":11.5}", await retained.Task.WaitAsync(TimeSpan.FromSeconds(30)));
            await late.DisconnectAsync();
        }
        finally
        {
            await broker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task StartAsync_ListensOnIpv4LoopbackOnly()
    {
        using var broker = new EmbeddedBroker(Options.Create(new EmbeddedBrokerOptions { Port = 0 }), new GatewayStatus(TimeProvider.System), NullLogger<EmbeddedBroker>.Instance);
        await broker.StartAsync(CancellationToken.None);
        try
        {
            using var ipv6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => ipv6.ConnectAsync(IPAddress.IPv6Loopback, broker.Port).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            var listeners = File.ReadAllText("/proc/net/tcp6") + File.ReadAllText("/proc/net/tcp");
            Assert.Contains($"0100007F:{broker.Port:X4}", listeners, StringComparison.Ordinal);
            Assert.DoesNotContain($"00000000000000000000000000000000:{broker.Port:X4}", listeners, StringComparison.Ordinal);
            Assert.DoesNotContain($"00000000:{broker.Port:X4}", listeners, StringComparison.Ordinal);
        }
        finally
        {
            await broker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task StartAsync_PortTaken_FallsBackToAFreePort()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        using var broker = new EmbeddedBroker(Options.Create(new EmbeddedBrokerOptions { Port = taken }), new GatewayStatus(TimeProvider.System), NullLogger<EmbeddedBroker>.Instance);

        await broker.StartAsync(CancellationToken.None);
        try
        {
            Assert.NotEqual(taken, broker.Port);
            Assert.NotEqual(0, broker.Port);
        }
        finally
        {
            await broker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ConnectAsync_Mqtt5ClientWithoutClientId_IsAssignedOne()
    {
        using var broker = new EmbeddedBroker(Options.Create(new EmbeddedBrokerOptions { Port = 0 }), new GatewayStatus(TimeProvider.System), NullLogger<EmbeddedBroker>.Instance);
        await broker.StartAsync(CancellationToken.None);
        try
        {
            // What mosquitto_sub -V mqttv5 does: an empty client id, for the broker to assign.
            using var client = new MqttClientFactory().CreateMqttClient();
            var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", broker.Port)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .WithClientId(string.Empty)
                .Build()).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
            Assert.StartsWith("auto-", result.AssignedClientIdentifier, StringComparison.Ordinal);
            await client.DisconnectAsync();
        }
        finally
        {
            await broker.StopAsync(CancellationToken.None);
        }
    }
}
