using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Sensors;
using Floxide.Edge.Simulation;
using Floxide.Edge.Tests.Support;
using Floxide.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Workflow;

/// <summary>
/// The on-board simulation's dropout end to end: the emulated chip goes absent, the real driver's reads fail, the
/// poller reports faults and then the sensor offline, and the real workflow raises the offline alert; the chip answers
/// again and the alert clears.
/// </summary>
public sealed class SimulatedOutageTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo stateDirectory = Directory.CreateTempSubdirectory("floxide-outage-");

    public void Dispose() => stateDirectory.Delete(recursive: true);

    [Fact]
    public async Task RunAsync_OnBoardChipDropsOutThenAnswers_RaisesOfflineAfterTheFaultsAndClearsItOnce()
    {
        var time = new FakeTimeProvider(EdgeTestKit.Start);
        var directory = new SensorDirectory();
        await using var harness = new GatewayHarness(time, stateDirectory.FullName, directory, new ClassificationOptions());
        var writer = new DealtWithCountingWriter(harness.Gateway.Events);
        using var simulation = new OnBoardSimulation(new SimulationOptions { OnBoard = ["sht3x"], DropoutProbability = 0, SpikeProbability = 0 },
            SensorRig.Catalog, directory, writer, time, NullLogger<SensorPoller>.Instance, new SensorsOptions { FaultsBeforeOffline = 3 });
        var poller = simulation.Pollers.Pollers.Single();
        harness.Start(new AlertOptions().CheckInterval);

        await poller.PollOnceAsync().AsTask().WaitAsync(Patience);
        simulation.Chips[0].Faults.Absent = true;
        for (var read = 0; read < 4; read++)
        {
            await poller.PollOnceAsync().AsTask().WaitAsync(Patience);
        }

        simulation.Refresh(); // the waveform has no dropout: the chip answers again
        await poller.PollOnceAsync().AsTask().WaitAsync(Patience);
        // Events are processed in order, so once the last reading is dealt with, the faults and status changes before it are too.
        await writer.WhenDealtWithAsync(2).WaitAsync(Patience);
        var result = await harness.StopAsync();

        Assert.Equal(EventWorkflowOutcome.SourceCompleted, result.Outcome);
        Assert.Equal(
            [(AlertTransition.Raised, Severity.Critical, "sim-sht3x/offline"), (AlertTransition.Cleared, Severity.Critical, "sim-sht3x/offline")],
            harness.AlertLog.Notifications.Select(n => (n.Transition, n.Alert.Severity, n.Alert.Id)));
        Assert.StartsWith("sim-sht3x is offline", harness.AlertLog.Notifications[0].Alert.Message, StringComparison.Ordinal);
        Assert.Equal(2, writer.DealtWith);
        Assert.Equal(0, harness.Gateway.DeadLetters);
        Assert.Empty(harness.Gateway.Alerts.Active);
    }
}
