using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Gateway.Sample;
using Floxide.Edge.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Tests.Configuration;

public sealed class ConfigurationReloadTests
{
    [Fact]
    public void TryApply_InvalidThenValid_KeepsTheRunningConfigurationThenAppliesTheNewOne()
    {
        using var config = new TempConfig("""{ "Floxide": { "Sample": { "Interval": "00:00:02" } } }""");
        using var gateway = GatewayHost.Build(GatewayConfigurationSources.Create(config.Path, new Dictionary<string, string>(), watchFile: false), ConsoleMode.Plain);
        var reloader = gateway.Services.GetRequiredService<ConfigurationReloadService>();
        var monitor = gateway.Services.GetRequiredService<IOptionsMonitor<SampleOptions>>();
        var changes = new List<TimeSpan>();
        using var subscription = monitor.OnChange(options => changes.Add(options.Interval));
        Assert.Equal(TimeSpan.FromSeconds(2), monitor.CurrentValue.Interval);

        config.Write("""{ "Floxide": { "Sample": { "Interval": "forever" }, "Metrics": { "Port": -1 } } }""");
        gateway.Sources.Reload();
        var rejected = reloader.TryApply("test");

        Assert.False(rejected.Applied);
        Assert.Equal(["Floxide:Sample:Interval", "Floxide:Metrics:Port"], rejected.Problems.Select(problem => problem.Key).Order().Reverse());
        Assert.Equal(TimeSpan.FromSeconds(2), monitor.CurrentValue.Interval);
        Assert.Empty(changes);

        config.Write("""{ "Floxide": { "Sample": { "Interval": "00:00:05" } } }""");
        gateway.Sources.Reload();
        var applied = reloader.TryApply("test");

        Assert.True(applied.Applied);
        Assert.Equal(["Floxide:Sample:Interval"], applied.ChangedKeys);
        Assert.Equal(TimeSpan.FromSeconds(5), monitor.CurrentValue.Interval);
        Assert.Contains(TimeSpan.FromSeconds(5), changes);
    }

    [Fact]
    public async Task Run_SighupWithInvalidThenValidFile_RejectsThenApplies()
    {
        using var socket = NotifySocketListener.AtPath();
        using var config = new TempConfig("""{ "Floxide": { "Sample": { "Interval": "00:00:00.500" } } }""");
        using var gateway = GatewayProcess.Start(["--config", config.Path], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = socket.Address });
        await socket.WaitForAsync(message => message.Has("READY=1"), TimeSpan.FromSeconds(30));

        config.Write("""{ "Floxide": { "Sample": { "Interval": "often" } } }""");
        gateway.Signal(GatewayProcess.SigHup);
        await gateway.WaitForOutputAsync("Configuration reload (SIGHUP) rejected", TimeSpan.FromSeconds(30));
        await gateway.WaitForOutputAsync("Floxide:Sample:Interval = 'often': is not a duration", TimeSpan.FromSeconds(30));
        Assert.Contains("the running configuration stays", gateway.Output, StringComparison.Ordinal);

        config.Write("""{ "Floxide": { "Sample": { "Interval": "00:00:00.250" } } }""");
        gateway.Signal(GatewayProcess.SigHup);
        // The file watcher may see the write before the signal arrives; either way the change is applied once, and the
        // signal itself must still trigger a reload of its own.
        await gateway.WaitForOutputAsync("1 setting(s) changed: Floxide:Sample:Interval", TimeSpan.FromSeconds(30));
        await gateway.WaitForOutputAsync("Configuration reloaded (SIGHUP)", TimeSpan.FromSeconds(30));

        gateway.Signal(GatewayProcess.SigTerm);
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
