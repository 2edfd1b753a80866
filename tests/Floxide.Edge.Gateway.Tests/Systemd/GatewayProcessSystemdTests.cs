using Floxide.Edge.Gateway.Tests.Support;

namespace Floxide.Edge.Gateway.Tests.Systemd;

/// <summary>The real floxide-edge process against a real unix datagram socket as NOTIFY_SOCKET, as systemd runs it.</summary>
public sealed class GatewayProcessSystemdTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_WithNotifySocket_SendsReadyAndStatusThenStoppingAndExitsZeroOnSigterm()
    {
        using var socket = NotifySocketListener.AtPath();
        using var config = new TempConfig("{}");
        using var gateway = GatewayProcess.Start(["run", "--config", config.Path], new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = socket.Address,
        });

        var ready = await socket.WaitForAsync(message => message.Has("READY=1"), Patience);
        Assert.True(ready.Has($"MAINPID={gateway.Id}"), ready.Text);
        Assert.Contains("broker: embedded 127.0.0.1:", ready.Status, StringComparison.Ordinal);
        // 4 simulated on-board sensors and 8 simulated fleet sensors; the fleet's are online within a fleet interval.
        await socket.WaitForAsync(message => OnlineOf(message.Status, "12 sensors") >= 8
            && message.Status!.Contains("connected to 127.0.0.1:", StringComparison.Ordinal), Patience);

        gateway.Signal(GatewayProcess.SigTerm);
        await socket.WaitForAsync(message => message.Has("STOPPING=1"), Patience);
        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
        Assert.Contains("drained its input and stopped", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(socket.Received, message => message.Has("READY=1") && message.At > ready.At);
    }

    [Fact]
    public async Task Run_WithAbstractNotifySocket_SendsReady()
    {
        using var socket = NotifySocketListener.Abstract();
        using var config = new TempConfig("{}");
        using var gateway = GatewayProcess.Start(["--config", config.Path], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = socket.Address });

        await socket.WaitForAsync(message => message.Has("READY=1"), Patience);

        gateway.Signal(GatewayProcess.SigTerm);
        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task Run_WithWatchdogUsec_PingsAtHalfThePeriod()
    {
        using var socket = NotifySocketListener.AtPath();
        using var config = new TempConfig("{}");
        using var gateway = GatewayProcess.Start(["--config", config.Path], new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = socket.Address,
            ["WATCHDOG_USEC"] = "1000000",
        });

        var ready = await socket.WaitForAsync(message => message.Has("READY=1"), Patience);
        await socket.WaitForAsync(message => message.Has("WATCHDOG=1") && CountPings(socket, ready.At) >= 8, Patience);

        // Pings after READY only, and not the first of them: the first ping goes out as the service starts, and while
        // the process is still starting on a loaded machine it can be late, which shortens the gap after it.
        var pings = socket.Received.Where(message => message.Has("WATCHDOG=1") && message.At > ready.At).Select(message => message.At).Skip(1).ToList();
        var gaps = pings.Zip(pings.Skip(1), (earlier, later) => later - earlier).ToList();
        // Half of the 1 s period. Arrival times are the listener's, and on a loaded machine the listener itself can be
        // late, so two pings may arrive together after a long gap: only the mean shows the cadence here.
        // SystemdWatchdogServiceTests checks the exact cadence on a fake clock.
        Assert.InRange(gaps.Average(gap => gap.TotalMilliseconds), 350, 750);

        gateway.Signal(GatewayProcess.SigTerm);
        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task Run_WithWatchdogPidOfAnotherProcess_SendsNoPings()
    {
        using var socket = NotifySocketListener.AtPath();
        using var config = new TempConfig("{}");
        using var gateway = GatewayProcess.Start(["--config", config.Path], new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = socket.Address,
            ["WATCHDOG_USEC"] = "400000",
            ["WATCHDOG_PID"] = "1",
        });

        var ready = await socket.WaitForAsync(message => message.Has("READY=1"), Patience);
        // Status updates come at least once a second; by the third, a watchdog for us would have pinged 7 times.
        await socket.WaitForAsync(message => message.At > ready.At + TimeSpan.FromSeconds(1.5) || CountStatus(socket, ready.At) >= 3, Patience);
        gateway.Signal(GatewayProcess.SigTerm);
        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));

        Assert.DoesNotContain(socket.Received, message => message.Has("WATCHDOG=1"));
    }

    [Fact]
    public async Task Run_WhenANodeHangs_StopsPingingTheWatchdogAndStillStopsCleanly()
    {
        using var socket = NotifySocketListener.AtPath();
        using var config = new TempConfig("{}");
        using var gateway = GatewayProcess.Start(["--config", config.Path], new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = socket.Address,
            ["WATCHDOG_USEC"] = "1000000",
            ["FLOXIDE_SIMULATION__FLEETINTERVAL"] = "00:00:00.100",
            ["FLOXIDE_DEBUG__HANGNODE"] = "publish",
            ["FLOXIDE_DEBUG__HANGAFTEREVENTS"] = "30",
            ["FLOXIDE_HOST__PROCESSINGBUDGET"] = "00:00:01",
            ["FLOXIDE_HOST__SHUTDOWNTIMEOUT"] = "00:00:05",
        });

        await socket.WaitForAsync(message => message.Has("READY=1"), Patience);
        var firstPing = await socket.WaitForAsync(message => message.Has("WATCHDOG=1"), Patience);
        var unhealthy = await socket.WaitForAsync(message => message.Status?.Contains("unhealthy", StringComparison.Ordinal) == true, Patience);
        Assert.Contains("node 'publish'", unhealthy.Status, StringComparison.Ordinal);
        Assert.Contains("past the processing budget", unhealthy.Status, StringComparison.Ordinal);

        // Watch three more ping intervals: a healthy gateway would ping six times.
        var watchedUntil = unhealthy.At + TimeSpan.FromSeconds(1.5);
        await socket.WaitForAsync(message => message.At > watchedUntil, Patience);
        var lastPing = socket.Received.Where(message => message.Has("WATCHDOG=1")).Max(message => message.At);
        Assert.True(lastPing <= unhealthy.At, $"a ping at {lastPing} followed the unhealthy status at {unhealthy.At}");
        Assert.True(firstPing.At < unhealthy.At);
        // The log line travels through the console logger's queue and a pipe, independently of the datagrams: await it.
        await gateway.WaitForOutputAsync("systemd watchdog ping withheld", Patience);

        gateway.Signal(GatewayProcess.SigTerm);
        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
    }

    /// <summary>The online count of a status line that starts with <paramref name="sensors"/>, e.g. 9 for "12 sensors (9 online), …"; else -1.</summary>
    internal static int OnlineOf(string? status, string sensors)
    {
        if (status is null || !status.StartsWith(sensors + " (", StringComparison.Ordinal))
        {
            return -1;
        }

        var start = sensors.Length + 2;
        var end = status.IndexOf(" online)", start, StringComparison.Ordinal);
        return end > start && int.TryParse(status.AsSpan(start, end - start), System.Globalization.CultureInfo.InvariantCulture, out var online) ? online : -1;
    }

    private static int CountPings(NotifySocketListener socket, TimeSpan after) =>
        socket.Received.Count(message => message.Has("WATCHDOG=1") && message.At > after);

    private static int CountStatus(NotifySocketListener socket, TimeSpan after) =>
        socket.Received.Count(message => message.Status is not null && message.At > after);
}
