using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Floxide.Edge.Gateway.Tests.Support;

/// <summary>A real unix datagram socket standing in for systemd's notification socket; records every datagram with its arrival time.</summary>
internal sealed class NotifySocketListener : IDisposable
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly Channel<NotifyMessage> messages = Channel.CreateUnbounded<NotifyMessage>();
    private readonly List<NotifyMessage> received = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task pump;
    private readonly DirectoryInfo? directory;

    private NotifySocketListener(string address, DirectoryInfo? directory)
    {
        Address = address;
        this.directory = directory;
        socket.Bind(new UnixDomainSocketEndPoint(address.StartsWith('@') ? "\0" + address[1..] : address));
        pump = Task.Run(PumpAsync);
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Address { get; }

    public static NotifySocketListener AtPath()
    {
        var directory = Directory.CreateTempSubdirectory("floxide-notify-");
        return new NotifySocketListener(Path.Combine(directory.FullName, "notify.sock"), directory);
    }

    public static NotifySocketListener Abstract() => new($"@floxide-test-{Guid.NewGuid():N}", null);

    /// <summary>Everything received so far.</summary>
    public IReadOnlyList<NotifyMessage> Received
    {
        get
        {
            lock (received)
            {
                return [.. received];
            }
        }
    }

    /// <summary>Waits for a datagram that has an assignment <paramref name="assignment"/> (e.g. READY=1), or whose STATUS contains a text.</summary>
    public async Task<NotifyMessage> WaitForAsync(Func<NotifyMessage, bool> predicate, TimeSpan timeout)
    {
        foreach (var message in Received)
        {
            if (predicate(message))
            {
                return message;
            }
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await messages.Reader.ReadAsync(cancel.Token);
                if (predicate(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching notification within {timeout}; received:\n" +
                string.Join("\n", Received.Select(m => $"{m.At.TotalSeconds:0.000}s {m.Text.Replace("\n", " | ", StringComparison.Ordinal)}")));
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        try
        {
            pump.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stop.Dispose();
        directory?.Delete(recursive: true);
    }

    private async Task PumpAsync()
    {
        var clock = Stopwatch.StartNew();
        var buffer = new byte[4096];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                var message = new NotifyMessage(Encoding.UTF8.GetString(buffer, 0, length), clock.Elapsed);
                lock (received)
                {
                    received.Add(message);
                }

                messages.Writer.TryWrite(message);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}

/// <summary>One sd_notify datagram.</summary>
internal sealed record NotifyMessage(string Text, TimeSpan At)
{
    public bool Has(string assignment) => Text.Split('\n').Contains(assignment, StringComparer.Ordinal);

    public string? Status => Text.Split('\n').FirstOrDefault(line => line.StartsWith("STATUS=", StringComparison.Ordinal))?["STATUS=".Length..];
}
