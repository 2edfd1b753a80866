using System.Net;
using System.Net.Sockets;
using Floxide.Edge.Gateway.Tests.Support;

namespace Floxide.Edge.Gateway.Tests.Hosting;

/// <summary>A gateway whose broker cannot be reached keeps working offline: healthy, watchdog fed, readings kept in the outbox.</summary>
public sealed class BrokerOutageProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_BrokerUnreachable_StaysHealthyFeedsTheWatchdogAndKeepsReadingsInTheOutbox()
    {
        using var socket = NotifySocketListener.AtPath();
        using var config = new TempConfig("{}");
        using var gateway = GatewayProcess.Start(["--config", config.Path], new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = socket.Address,
            ["WATCHDOG_USEC"] = "1000000",
            // Setting the host turns the embedded broker off; nothing listens on this port.
            ["FLOXIDE_MQTT__HOST"] = "127.0.0.1",
            ["FLOXIDE_MQTT__PORT"] = ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FLOXIDE_MQTT__RECONNECT__MAXDELAY"] = "00:00:01",
        });

        await socket.WaitForAsync(message => message.Has("READY=1"), Patience);
        var offline = await socket.WaitForAsync(message => message.Status?.Contains("unreachable (127.0.0.1:", StringComparison.Ordinal) == true
            && OutboxDepth(message.Status) > 0, Patience);
        Assert.DoesNotContain("unhealthy", offline.Status, StringComparison.Ordinal);
        Assert.DoesNotContain("embedded", offline.Status, StringComparison.Ordinal);

        // Three more ping intervals after the outage showed: a broker outage must not starve the watchdog.
        var pingsBefore = socket.Received.Count(message => message.Has("WATCHDOG=1"));
        await socket.WaitForAsync(message => message.Has("WATCHDOG=1") && socket.Received.Count(m => m.Has("WATCHDOG=1")) >= pingsBefore + 3, Patience);

        gateway.Signal(GatewayProcess.SigTerm);
        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
        Assert.Matches(@"MQTT stopped: 0 message\(s\) published; [1-9]\d* kept in the outbox", gateway.Output);
        Assert.True(File.Exists(Path.Combine(gateway.StateDirectory, "outbox.db")));
    }

    private static long OutboxDepth(string status)
    {
        var at = status.LastIndexOf("outbox: ", StringComparison.Ordinal);
        if (at < 0)
        {
            return -1;
        }

        var digits = new string([.. status[(at + "outbox: ".Length)..].TakeWhile(char.IsAsciiDigit)]);
        return long.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var depth) ? depth : -1;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
