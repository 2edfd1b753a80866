using Floxide.Edge.Gateway.Systemd;
using Floxide.Edge.Gateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Floxide.Edge.Gateway.Tests.Systemd;

public sealed class SystemdNotifySocketTests
{
    [Fact]
    public async Task Notify_PathAddress_DeliversTheDatagram()
    {
        using var listener = NotifySocketListener.AtPath();
        using var notifier = new SystemdNotifySocket(listener.Address, NullLogger<SystemdNotifySocket>.Instance);

        Assert.True(notifier.Notify("READY=1\nSTATUS=up"));

        var message = await listener.WaitForAsync(m => m.Has("READY=1"), TimeSpan.FromSeconds(10));
        Assert.Equal("up", message.Status);
    }

    [Fact]
    public async Task Notify_AbstractAddress_DeliversTheDatagram()
    {
        using var listener = NotifySocketListener.Abstract();
        using var notifier = new SystemdNotifySocket(listener.Address, NullLogger<SystemdNotifySocket>.Instance);

        Assert.True(notifier.Notify("WATCHDOG=1"));

        await listener.WaitForAsync(m => m.Has("WATCHDOG=1"), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vsock:2:1234")]
    public void Notify_NoUsableAddress_IsDisabledAndSendsNothing(string? address)
    {
        using var notifier = new SystemdNotifySocket(address, NullLogger<SystemdNotifySocket>.Instance);

        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.Notify("READY=1"));
    }

    [Fact]
    public async Task Notify_ReceiverStopsReading_DropsNotificationsInsteadOfBlocking()
    {
        var directory = Directory.CreateTempSubdirectory("floxide-notify-");
        try
        {
            var path = Path.Combine(directory.FullName, "deaf.sock");
            using var deaf = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
            deaf.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
            using var notifier = new SystemdNotifySocket(path, NullLogger<SystemdNotifySocket>.Instance);

            // The kernel queues a handful of datagrams per unix socket (net.unix.max_dgram_qlen); 1000 would block a blocking send.
            var sends = Task.Run(() => Enumerable.Range(0, 1000).Count(index => notifier.Notify($"STATUS={index}")));
            var delivered = await sends.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.InRange(delivered, 1, 999);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Notify_SocketGone_ReturnsFalseWithoutThrowing()
    {
        var directory = Directory.CreateTempSubdirectory("floxide-notify-");
        try
        {
            using var notifier = new SystemdNotifySocket(Path.Combine(directory.FullName, "missing.sock"), NullLogger<SystemdNotifySocket>.Instance);

            Assert.True(notifier.IsEnabled);
            Assert.False(notifier.Notify("READY=1"));
            Assert.False(notifier.Notify("WATCHDOG=1"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

public sealed class SystemdWatchdogSettingsTests
{
    [Fact]
    public void Parse_UsecWithoutPid_EnablesWithHalfPeriodPings()
    {
        var settings = SystemdWatchdogSettings.Parse("30000000", null, 1234);

        Assert.True(settings.IsEnabled);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Period);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.PingInterval);
    }

    [Fact]
    public void Parse_PidOfThisProcess_Enables() =>
        Assert.True(SystemdWatchdogSettings.Parse("1000000", "1234", 1234).IsEnabled);

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("soon", null)]
    [InlineData("1000000", "999")]
    [InlineData("1000000", "not-a-pid")]
    public void Parse_MissingInvalidOrForAnotherProcess_Disables(string? usec, string? pid) =>
        Assert.False(SystemdWatchdogSettings.Parse(usec, pid, 1234).IsEnabled);
}
