using System.Buffers;
using Floxide.Edge.Mqtt.Transport;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Floxide.Edge.LoadTests;

/// <summary>
/// The least an MQTTnet client must do for the gateway's job, run as its own process so its CPU time and RSS are
/// measured like the gateway's. It takes each reading of the fleet on <c>floor/{sensor}/reading</c> (a root of the
/// same length as the gateway's <c>fleet</c>, so the gateway, connected too, gets none of it) at QoS 1 with manual
/// acknowledgement; publishes it unchanged at QoS 1 to the gateway's output topic <c>floxide/load/{sensor}/state</c>,
/// with at most as many in flight as the gateway's publish window; and acknowledges the input once the broker's PUBACK
/// for the output arrived. No parsing, no workflow, no outbox: what it costs is MQTTnet's share of the gateway's cost
/// per reading, a floor under the gateway's figures. Hosted, it runs inside a started .NET Generic Host
/// (configuration, logging, dependency injection: what the gateway is built on) that does nothing else, so its RSS is
/// the floor under the gateway's RSS.
/// </summary>
internal static class RelayFloor
{
    public const string Command = "relay-floor";

    public const string ReadyLine = "relay-floor: subscribed";

    private const int PublishWindow = 64;

    /// <param name="port">The broker on 127.0.0.1.</param>
    /// <param name="coalescing">Whether to use the gateway's socket transport instead of MQTTnet's own.</param>
    /// <param name="hosted">Whether to run inside a started Generic Host.</param>
    public static async Task<int> RunAsync(int port, bool coalescing, bool hosted)
    {
        using var host = hosted ? Host.CreateApplicationBuilder().Build() : null;
        if (host is not null)
        {
            await host.StartAsync();
        }

        using var window = new SemaphoreSlim(PublishWindow);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += async received =>
        {
            received.AutoAcknowledge = false;
            await window.WaitAsync();
            _ = RelayAsync(client, received, window);
        };

        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("relay-floor")
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (coalescing)
        {
            options.WithStreamProvider(CoalescingSocketStreamProvider.Instance);
        }

        await client.ConnectAsync(options.Build());
        await client.SubscribeAsync("floor/+/reading", MqttQualityOfServiceLevel.AtLeastOnce);
        Console.WriteLine(ReadyLine);
        Console.ReadLine(); // the load tool ends it by closing standard input or killing it
        return 0;
    }

    private static async Task RelayAsync(IMqttClient client, MqttApplicationMessageReceivedEventArgs received, SemaphoreSlim window)
    {
        try
        {
            var input = received.ApplicationMessage;
            var sensor = input.Topic.Split('/')[1];
            var output = new MqttApplicationMessage
            {
                Topic = $"floxide/load/{sensor}/state",
                Payload = new ReadOnlySequence<byte>(input.Payload.ToArray()), // as the gateway, which writes a new payload
                QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            };
            await client.PublishAsync(output);
            await received.AcknowledgeAsync(CancellationToken.None);
        }
        finally
        {
            window.Release();
        }
    }
}
