using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Events;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Workflow;

/// <summary>A whole day through the real gateway workflow on a fake clock: the alert log must be exactly the expected one.</summary>
public sealed class SimulatedDayTests : IDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    // The seam: the lead re-points this at the simulated fleet (seeded) when merging.
    private static readonly IGatewayScenario Scenario = new ScriptedDay();
    private readonly DirectoryInfo stateDirectory = Directory.CreateTempSubdirectory("floxide-day-");

    public void Dispose() => stateDirectory.Delete(recursive: true);

    private static ClassificationOptions Classification()
    {
        var options = EdgeTestKit.Temperature(holdReadings: 2);
        options.Defaults.Thresholds["humidity"] = new ThresholdOptions { HighWarning = 75, HighCritical = 85, Hysteresis = 2 };
        options.Defaults.RateOfChangeLimits["temperature"] = 5;
        return options;
    }

    [Fact]
    public async Task RunAsync_ScriptedDayWithSpikesAndDropouts_ProducesExactlyTheExpectedAlertLog()
    {
        var scenario = Scenario;
        var time = new FakeTimeProvider(EdgeTestKit.Start);
        await using var harness = new GatewayHarness(time, stateDirectory.FullName, EdgeTestKit.Directory([.. scenario.Sensors]), Classification(),
            new AlertOptions { RenotifyInterval = TimeSpan.FromMinutes(30), CheckInterval = CheckInterval });
        harness.Start(CheckInterval);

        foreach (var @event in scenario.Events(EdgeTestKit.Start))
        {
            await harness.AdvanceToAsync(@event.Timestamp);
            await harness.SendAsync(@event);
        }

        await harness.AdvanceToAsync(EdgeTestKit.Start.AddDays(1));
        var result = await harness.StopAsync();

        Assert.Equal(EventWorkflowOutcome.SourceCompleted, result.Outcome);
        Assert.Equal(
        [
            "09:08:10 Raised Warning greenhouse/temperature",
            "09:33:10 Cleared Warning greenhouse/temperature",
            "12:09:10 Raised Warning cellar/temperature",
            "12:11:10 Escalated Critical cellar/temperature",
            "12:41:30 Renotified Critical cellar/temperature",
            "12:43:10 Deescalated Warning cellar/temperature",
            "12:45:10 Cleared Warning cellar/temperature",
            "14:02:30 Raised Warning cellar/stale",
            "14:20:10 Cleared Warning cellar/stale",
            "16:00:05 Raised Critical greenhouse/offline",
            "16:10:05 Cleared Critical greenhouse/offline",
            "18:05:10 Raised Warning greenhouse/humidity",
            "18:35:30 Renotified Warning greenhouse/humidity",
            "19:05:30 Renotified Warning greenhouse/humidity",
            "19:13:10 Cleared Warning greenhouse/humidity",
            "21:08:10 Raised Warning greenhouse/temperature",
            "21:32:10 Cleared Warning greenhouse/temperature",
        ], harness.AlertLog.Notifications.Select(n => $"{n.Timestamp - EdgeTestKit.Start:hh\\:mm\\:ss} {n.Transition} {n.Alert.Severity} {n.Alert.Id}"));
        Assert.Equal(Enumerable.Range(1, 17).Select(i => (long)i), harness.AlertLog.Notifications.Select(n => n.Sequence));
        Assert.Empty(harness.Gateway.Alerts.Active);
        var counts = harness.Gateway.Validator.Counts;
        Assert.Equal((1, 1, 1), (counts[InvalidReason.RateOfChange], counts[InvalidReason.OutOfRange], counts[InvalidReason.NotANumber]));
        Assert.Equal(0, harness.Gateway.DeadLetters);
        Assert.Equal(EdgeTestKit.Start.AddDays(1), harness.Gateway.LastTick);
    }
}
