using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Floxide.Edge.Gateway.Tests.Support;
using MQTTnet;

namespace Floxide.Edge.Gateway.Tests.Hosting;

/// <summary>What the README promises of <c>dotnet run --project src/Floxide.Edge.Gateway</c>, against the real process.</summary>
public sealed partial class DefaultRunProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_NoConfiguration_SimulatesAndPublishesToTheEmbeddedBrokerThenExitsZeroOnSigterm()
    {
        using var socket = NotifySocketListener.AtPath();
        using var gateway = GatewayProcess.StartWithDefaults(["run"], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = socket.Address });

        await gateway.WaitForOutputAsync("watch it with: mosquitto_sub", Patience);
        var hint = WatchHint().Match(gateway.Output);
        Assert.True(hint.Success, gateway.Output);
        var port = int.Parse(hint.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"mosquitto_sub -V mqttv5 -h 127.0.0.1 -p {port} -t 'floxide/#' -v", hint.Groups["command"].Value);
        var received = new ConcurrentQueue<(string Topic, string Payload)>();
        var reading = new TaskCompletionSource<(string Topic, string Payload)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var offline = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new MqttClientFactory().CreateMqttClient();
        watcher.ApplicationMessageReceivedAsync += e =>
        {
            var message = (e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? string.Empty);
            received.Enqueue(message);
            if (message.Topic.StartsWith("floxide/gateway/sim-", StringComparison.Ordinal) && message.Topic.EndsWith("/state", StringComparison.Ordinal))
            {
                reading.TrySetResult(message);
            }

            if (message.Topic == "floxide/gateway/availability" && message.Item2 == "offline")
            {
                offline.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await watcher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("default-run-watcher").Build()).WaitAsync(Patience);
        await watcher.SubscribeAsync("floxide/#").WaitAsync(Patience);
        await watcher.SubscribeAsync("homeassistant/#").WaitAsync(Patience);

        // Subscribed as soon as the broker listens, so the first polls of the on-board chips are seen too.
        try
        {
            await socket.WaitForAsync(message => message.Has("READY=1"), Patience);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message}\nstdout:\n{gateway.Output}\nstderr:\n{gateway.Error}", exception);
        }

        (string Topic, string Payload) first;
        try
        {
            first = await reading.Task.WaitAsync(Patience);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"No reading within {Patience}; received: {string.Join("; ", received.Select(m => m.Topic))}\nstdout:\n{gateway.Output}", exception);
        }

        var (topic, payload) = first;
        using (var json = JsonDocument.Parse(payload))
        {
            var root = json.RootElement;
            Assert.Equal(topic.Split('/')[2], root.GetProperty("sensor").GetString());
            Assert.Equal("gateway", root.GetProperty("gateway").GetString());
            Assert.True(root.TryGetProperty("temperature", out _), payload);
            Assert.Equal("good", root.GetProperty("quality").GetString());
        }

        gateway.Signal(GatewayProcess.SigTerm);
        await socket.WaitForAsync(message => message.Has("STOPPING=1"), Patience);
        try
        {
            await offline.Task.WaitAsync(Patience);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"No 'offline' within {Patience}; received: {string.Join("; ", received.Select(m => m.Topic))}\nstdout:\n{gateway.Output}\nstderr:\n{gateway.Error}", exception);
        }

        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
        Assert.Contains(received, message => message.Topic.StartsWith("homeassistant/sensor/floxide_gateway/", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(gateway.StateDirectory, "floxide-edge", "outbox.db")), "the outbox lives in the per-user state directory");
    }

    [GeneratedRegex(@"Embedded MQTT broker listening on 127\.0\.0\.1:(?<port>\d+); watch it with: (?<command>mosquitto_sub[^\r\n]*)")]
    private static partial Regex WatchHint();
}
