using System.Text.RegularExpressions;
using Floxide.Edge.Gateway.Tests.Support;

namespace Floxide.Edge.Gateway.Tests.Cli;

/// <summary><c>floxide-edge simulate</c> publishing a fleet into a running gateway, both real processes.</summary>
public sealed partial class SimulateCommandProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Simulate_IntoARunningGateway_PublishesAtTheRateAndTheGatewayTakesTheFleetIn()
    {
        using var socket = NotifySocketListener.AtPath();
        using var config = new TempConfig("{}");
        using var gateway = GatewayProcess.Start(["--config", config.Path], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = socket.Address });
        await gateway.WaitForOutputAsync("watch it with", Patience);
        var port = BrokerPort().Match(gateway.Output).Groups["port"].Value;
        await socket.WaitForAsync(message => message.Has("READY=1"), Patience);

        using var simulate = GatewayProcess.Start(["simulate", "--port", port, "--sensors", "3", "--rate", "30", "--duration", "00:00:02"]);
        Assert.Equal(0, await simulate.WaitForExitAsync(Patience));
        var total = Published().Match(simulate.Output);
        Assert.True(total.Success, simulate.Output + simulate.Error);
        Assert.InRange(int.Parse(total.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture), 40, 70);

        // The gateway's 12 simulated sensors and the 3 that arrived over MQTT on fleet/<sensor>/reading.
        await socket.WaitForAsync(message => message.Status?.StartsWith("15 sensors", StringComparison.Ordinal) == true, Patience);
        gateway.Signal(GatewayProcess.SigTerm);
        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task Simulate_BadRate_ExitsWithUsage()
    {
        using var simulate = GatewayProcess.Start(["simulate", "--rate", "0"]);

        Assert.Equal(64, await simulate.WaitForExitAsync(Patience));
        Assert.Contains("--rate above 0", simulate.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex BrokerPort();

    [GeneratedRegex(@"published (?<count>\d+) readings \(0 failed\)")]
    private static partial Regex Published();
}
