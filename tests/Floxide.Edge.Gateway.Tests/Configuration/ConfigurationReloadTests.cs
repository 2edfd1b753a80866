using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Alerts;
using Floxide.Edge.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Tests.Configuration;

public sealed class ConfigurationReloadTests
{
    [Fact]
    public void TryApply_InvalidThenValid_KeepsTheRunningConfigurationThenAppliesTheNewOne()
    {
        using var config = new TempConfig("""{ "Floxide": { "Alerts": { "RenotifyInterval": "00:02:00" } } }""");
        using var gateway = GatewayHost.Build(GatewayConfigurationSources.Create(config.Path, new Dictionary<string, string>(), watchFile: false), ConsoleMode.Plain);
        var reloader = gateway.Services.GetRequiredService<ConfigurationReloadService>();
        var monitor = gateway.Services.GetRequiredService<IOptionsMonitor<AlertOptions>>();
        var changes = new List<TimeSpan>();
        using var subscription = monitor.OnChange(options => changes.Add(options.RenotifyInterval));
        Assert.Equal(TimeSpan.FromMinutes(2), monitor.CurrentValue.RenotifyInterval);

        config.Write("""{ "Floxide": { "Alerts": { "RenotifyInterval": "forever" }, "Metrics": { "Port": -1 } } }""");
        gateway.Sources.Reload();
        var rejected = reloader.TryApply("test");

        Assert.False(rejected.Applied);
        Assert.Equal(["Floxide:Alerts:RenotifyInterval", "Floxide:Metrics:Port"], rejected.Problems.Select(problem => problem.Key).Order());
        Assert.Equal(TimeSpan.FromMinutes(2), monitor.CurrentValue.RenotifyInterval);
        Assert.Empty(changes);

        config.Write("""{ "Floxide": { "Alerts": { "RenotifyInterval": "00:05:00" } } }""");
        gateway.Sources.Reload();
        var applied = reloader.TryApply("test");

        Assert.True(applied.Applied);
        Assert.Equal(["Floxide:Alerts:RenotifyInterval"], applied.ChangedKeys);
        Assert.Equal(TimeSpan.FromMinutes(5), monitor.CurrentValue.RenotifyInterval);
        Assert.Contains(TimeSpan.FromMinutes(5), changes);
    }

    [Fact]
    public async Task Run_SighupWithInvalidThenValidFile_RejectsThenApplies()
    {
        // An ignored signal stays ignored across fork and exec, and .NET does not take over an ignored SIGHUP.
        Assert.False(SigHupIgnoredHere(), "SIGHUP is ignored in this test run (started under nohup?), so the gateway it starts "
            + "inherits that and cannot be reloaded by signal: run the tests without nohup (setsid or a plain & will do).");
        using var socket = NotifySocketListener.AtPath();
        using var config = new TempConfig("""{ "Floxide": { "Alerts": { "RenotifyInterval": "00:02:00" } } }""");
        using var gateway = GatewayProcess.Start(["--config", config.Path], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = socket.Address });
        await socket.WaitForAsync(message => message.Has("READY=1"), TimeSpan.FromSeconds(30));

        config.Write("""{ "Floxide": { "Alerts": { "RenotifyInterval": "often" } } }""");
        gateway.Signal(GatewayProcess.SigHup);
        await gateway.WaitForOutputAsync("Configuration reload (SIGHUP) rejected", TimeSpan.FromSeconds(30));
        await gateway.WaitForOutputAsync("Floxide:Alerts:RenotifyInterval = 'often': is not a duration", TimeSpan.FromSeconds(30));
        Assert.Contains("the running configuration stays", gateway.Output, StringComparison.Ordinal);

        config.Write("""{ "Floxide": { "Alerts": { "RenotifyInterval": "00:05:00" } } }""");
        gateway.Signal(GatewayProcess.SigHup);
        // The file watcher may see the write before the signal arrives; either way the change is applied once, and the
        // signal itself must still trigger a reload of its own.
        await gateway.WaitForOutputAsync("1 setting(s) changed: Floxide:Alerts:RenotifyInterval", TimeSpan.FromSeconds(30));
        await gateway.WaitForOutputAsync("Configuration reloaded (SIGHUP)", TimeSpan.FromSeconds(30));
        // The running workflow took the new alert settings, alert state kept.
        await gateway.WaitForOutputAsync("alerts: True, reporting: False); alert state kept", TimeSpan.FromSeconds(30));

        gateway.Signal(GatewayProcess.SigTerm);
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Whether this process ignores SIGHUP (bit 0 of the SigIgn mask in /proc/self/status), as under nohup.</summary>
    private static bool SigHupIgnoredHere()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return (ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & 1) != 0;
    }
}
