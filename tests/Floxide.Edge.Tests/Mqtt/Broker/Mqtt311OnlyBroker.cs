using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Floxide.Edge.Tests.Mqtt.Broker;

/// <summary>
/// A broker that speaks only MQTT 3.1.1, at the wire level: it answers a version 5 CONNECT the way a 3.1.1 broker
/// does (CONNACK return code 1, unacceptable protocol version) and serves a 3.1.1 client's CONNECT, PUBLISH (QoS 1),
/// SUBSCRIBE and PINGREQ. Mosquitto always speaks version 5, so the fallback needs this stand-in.
/// </summary>
internal sealed class Mqtt311OnlyBroker : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;

    public Mqtt311OnlyBroker()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>The protocol level of every CONNECT received: 5 for MQTT 5, 4 for 3.1.1.</summary>
    public ConcurrentQueue<int> ConnectLevels { get; } = new();

    public ConcurrentQueue<string> PublishedTopics { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var (type, body) = await ReadPacketAsync(stream);
                switch (type >> 4)
                {
                    case 1: // CONNECT: protocol name (2 + 4 bytes), then the level
                        var level = body[6];
                        ConnectLevels.Enqueue(level);
                        await stream.WriteAsync(level == 4 ? new byte[] { 0x20, 0x02, 0x00, 0x00 } : [0x20, 0x02, 0x00, 0x01], stopping.Token);
                        if (level != 4)
                        {
                            return;
                        }

                        break;
                    case 3: // PUBLISH
                        var topicLength = (body[0] << 8) | body[1];
                        PublishedTopics.Enqueue(System.Text.Encoding.UTF8.GetString(body, 2, topicLength));
                        if (((type >> 1) & 3) == 1)
                        {
                            await stream.WriteAsync(new byte[] { 0x40, 0x02, body[2 + topicLength], body[3 + topicLength] }, stopping.Token);
                        }

                        break;
                    case 8: // SUBSCRIBE: packet id, then (filter, qos) pairs
                        var granted = new List<byte>();
                        for (var i = 2; i < body.Length;)
                        {
                            var length = (body[i] << 8) | body[i + 1];
                            i += 2 + length + 1;
                            granted.Add(1);
                        }

                        await stream.WriteAsync((byte[])[0x90, (byte)(2 + granted.Count), body[0], body[1], .. granted], stopping.Token);
                        break;
                    case 12: // PINGREQ
                        await stream.WriteAsync(new byte[] { 0xD0, 0x00 }, stopping.Token);
                        break;
                    case 14: // DISCONNECT
                        return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or EndOfStreamException or OperationCanceledException or SocketException)
        {
        }
    }

    private async Task<(byte Type, byte[] Body)> ReadPacketAsync(NetworkStream stream)
    {
        var header = new byte[1];
        await stream.ReadExactlyAsync(header, stopping.Token);
        int length = 0, multiplier = 1;
        byte next;
        do
        {
            var b = new byte[1];
            await stream.ReadExactlyAsync(b, stopping.Token);
            next = b[0];
            length += (next & 127) * multiplier;
            multiplier *= 128;
        }
        while ((next & 128) != 0);

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, stopping.Token);
        return (header[0], body);
    }
}
