using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;

namespace Floxide.Edge.Tests.Mqtt.Broker;

/// <summary>A message a test client received.</summary>
internal sealed record ReceivedMessage(string Topic, string Payload, bool Retain);

/// <summary>A plain MQTTnet client for tests: publishes fleet input and collects what the gateway publishes.</summary>
internal sealed class MqttTestClient : IAsyncDisposable
{
    private readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<ReceivedMessage> received = Channel.CreateUnbounded<ReceivedMessage>();

    private MqttTestClient()
    {
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.Writer.TryWrite(new ReceivedMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? "", e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
    }

    public ConcurrentBag<ReceivedMessage> All { get; } = [];

    public static async Task<MqttTestClient> ConnectAsync(int port, string? user = null, string? password = null, string? clientId = null, bool persistent = false)
    {
        var test = new MqttTestClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId ?? "test-" + Guid.NewGuid().ToString("N")[..8])
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (persistent)
        {
            builder.WithCleanStart(false).WithSessionExpiryInterval(3600);
        }

        if (user is not null)
        {
            builder.WithCredentials(user, password);
        }

        var result = await test.client.ConnectAsync(builder.Build()).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return test;
    }

    public async Task SubscribeAsync(string filter)
    {
        await client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce).WaitAsync(TimeSpan.FromSeconds(15));
    }

    public Task PublishAsync(string topic, string payload, bool retain = false, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce) =>
        PublishAsync(topic, Encoding.UTF8.GetBytes(payload), retain, qos);

    public async Task PublishAsync(string topic, byte[] payload, bool retain = false, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).WithRetainFlag(retain).Build();
        await client.PublishAsync(message).WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>Waits for the next message that matches, skipping (but keeping in <see cref="All"/>) the others.</summary>
    public async Task<ReceivedMessage> WaitForAsync(Func<ReceivedMessage, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var message = await received.Reader.ReadAsync(cancel.Token);
                All.Add(message);
                if (match(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching message within {timeout ?? TimeSpan.FromSeconds(20)}; received: " +
                                       string.Join("; ", All.Select(m => $"{m.Topic}={m.Payload}").Take(20)));
        }
    }

    /// <summary>Collects messages until <paramref name="done"/> says the collection is complete.</summary>
    public async Task<List<ReceivedMessage>> CollectAsync(Func<List<ReceivedMessage>, bool> done, TimeSpan timeout)
    {
        var collected = new List<ReceivedMessage>();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (!done(collected))
            {
                var message = await received.Reader.ReadAsync(cancel.Token);
                All.Add(message);
                collected.Add(message);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Collection incomplete after {timeout}: {collected.Count} messages.");
        }

        return collected;
    }

    public async ValueTask DisposeAsync()
    {
        await client.TryDisconnectAsync();
        client.Dispose();
    }
}
