using System.Net;
using System.Net.Sockets;
using Floxide.Edge.Mqtt.Transport;

namespace Floxide.Edge.Tests.Mqtt.Transport;

/// <summary>The broker stream over a real loopback TCP connection; the far end is a plain accepted socket.</summary>
public sealed class CoalescingSocketStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private Stream client = Stream.Null;
    private Socket server = null!;

    public async Task InitializeAsync()
    {
        // Small socket buffers, so a far end that does not read stalls the send loop after a few kilobytes.
        listener.Server.ReceiveBufferSize = 4096;
        listener.Start();
        var accept = listener.AcceptSocketAsync();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = 4096 };
        await socket.ConnectAsync(listener.LocalEndpoint).WaitAsync(Timeout);
        client = new CoalescingSocketStream(socket);
        server = await accept.WaitAsync(Timeout);
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        server.Dispose();
        listener.Stop();
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Provider_ConnectsToTheBrokerEndPoint(string host)
    {
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accept = listener.AcceptSocketAsync();
        await using var connected = await CoalescingSocketStreamProvider.Instance.ConnectAsync(new DnsEndPoint(host, port), CancellationToken.None).WaitAsync(Timeout);
        using var accepted = await accept.WaitAsync(Timeout);

        await connected.WriteAsync("hello"u8.ToArray());
        var buffer = new byte[5];
        Assert.Equal(5, await accepted.ReceiveAsync(buffer).WaitAsync(Timeout));
        Assert.Equal("hello"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task WriteAsync_ManyPackets_ArriveWholeAndInOrder()
    {
        var packets = Enumerable.Range(0, 2000).Select(Packet).ToList();
        var expected = packets.SelectMany(p => p).ToArray();
        var received = ReceiveAsync(expected.Length);

        foreach (var packet in packets)
        {
            await client.WriteAsync(packet);
        }

        Assert.Equal(expected, await received.WaitAsync(Timeout));
    }

    [Fact]
    public async Task WriteAsync_WhileTheBrokerIsNotReading_ReturnsAtOnceAndSendsEverythingLater()
    {
        // Far more than the socket buffers hold, so the send loop is stuck in a send while writes keep coming.
        var packets = Enumerable.Range(0, 600).Select(i => Filled(i, 1000)).ToList();
        var completedAtOnce = 0;
        foreach (var packet in packets.Take(500))
        {
            var write = client.WriteAsync(packet);
            completedAtOnce += write.IsCompleted ? 1 : 0;
            await write;
        }

        Assert.Equal(500, completedAtOnce);
        foreach (var packet in packets.Skip(500))
        {
            await client.WriteAsync(packet);
        }

        var expected = packets.SelectMany(p => p).ToArray();
        Assert.Equal(expected, await ReceiveAsync(expected.Length).WaitAsync(Timeout));
    }

    [Fact]
    public async Task WriteAsync_BeyondThePendingLimit_WaitsUntilTheBrokerReads()
    {
        var chunk = new byte[64 * 1024];
        ValueTask write = default;
        var written = 0;
        for (var i = 0; i < 200; i++)
        {
            write = client.WriteAsync(Filled(i, chunk.Length));
            written++;
            if (!write.IsCompleted)
            {
                break;
            }
        }

        Assert.False(write.IsCompleted, "a broker that reads nothing must hold the writer back before 12.5 MiB are pending");
        var received = ReceiveAsync(written * chunk.Length);
        await write.AsTask().WaitAsync(Timeout);
        var data = await received.WaitAsync(Timeout);
        for (var i = 0; i < written; i++)
        {
            Assert.Equal(Filled(i, chunk.Length), data.AsSpan(i * chunk.Length, chunk.Length).ToArray());
        }
    }

    [Fact]
    public async Task ReadAsync_SmallReads_AreServedFromOneReceive()
    {
        byte[] sent = [0x30, 0x05, 1, 2, 3, 4, 5, 0x40, 0x02, 0, 7];
        await server.SendAsync(sent);

        var header = new byte[2];
        Assert.Equal(2, await client.ReadAsync(header).AsTask().WaitAsync(Timeout));
        var body = new byte[5];
        Assert.Equal(5, await client.ReadAsync(body).AsTask().WaitAsync(Timeout));
        var rest = new byte[16];
        var restCount = await client.ReadAsync(rest).AsTask().WaitAsync(Timeout);

        byte[] read = [.. header, .. body, .. rest.AsSpan(0, restCount)];
        Assert.Equal(sent, read);
    }

    [Fact]
    public async Task ReadAsync_BrokerClosed_ReturnsZero()
    {
        server.Shutdown(SocketShutdown.Send);

        Assert.Equal(0, await client.ReadAsync(new byte[8]).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Dispose_RightAfterWriting_SendsWhatIsPendingFirst()
    {
        var packets = Enumerable.Range(0, 300).Select(i => Filled(i, 700)).ToList();
        foreach (var packet in packets)
        {
            await client.WriteAsync(packet);
        }

        var received = ReceiveAsync(int.MaxValue);
        client.Dispose();

        Assert.Equal(packets.SelectMany(p => p).ToArray(), await received.WaitAsync(Timeout));
    }

    [Fact]
    public async Task WriteAsync_AfterTheConnectionWasReset_FailsWithAnIOException()
    {
        server.LingerState = new LingerOption(true, 0);
        server.Close();

        var failure = await Assert.ThrowsAsync<IOException>(async () =>
        {
            // The first sends may still be accepted by the kernel before the reset is seen.
            for (var i = 0; i < 1000; i++)
            {
                await client.WriteAsync(Packet(i));
                await client.FlushAsync();
            }
        }).WaitAsync(Timeout);

        Assert.IsType<SocketException>(failure.InnerException);
    }

    private static byte[] Packet(int index) => Filled(index, 3 + (index % 200));

    private static byte[] Filled(int index, int length)
    {
        var packet = new byte[length];
        new Random(index).NextBytes(packet);
        return packet;
    }

    /// <summary>Reads <paramref name="count"/> bytes, or until the client closes when it is <see cref="int.MaxValue"/>.</summary>
    private async Task<byte[]> ReceiveAsync(int count)
    {
        var data = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (data.Length < count)
        {
            var received = await server.ReceiveAsync(buffer);
            if (received == 0)
            {
                break;
            }

            data.Write(buffer, 0, received);
        }

        return data.ToArray();
    }
}
