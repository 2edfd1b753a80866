using System.Globalization;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Sensors;
using Floxide.Edge.Simulation;
using Floxide.Events;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Workflow;

/// <summary>
/// A whole day of the seeded <see cref="SyntheticFleet"/>, written by the real <see cref="SimulatedFleetSource"/> into the
/// real gateway workflow on a fake clock, with a restart at noon: the alert log must be exactly the expected one, and its stale alerts and
/// rejected spikes must be the ones the fleet's own dropouts and spikes call for.
/// </summary>
public sealed class SimulatedDayTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Start = EdgeTestKit.Start;
    private static readonly DateTimeOffset End = Start.AddDays(1);
    private readonly DirectoryInfo stateDirectory = Directory.CreateTempSubdirectory("floxide-day-");

    public void Dispose() => stateDirectory.Delete(recursive: true);

    private static SimulationOptions Fleet() => new()
    {
        Seed = 42,
        FleetSensors = 6,
        FleetInterval = TimeSpan.FromMinutes(1),
        SpikeProbability = 0.002,
        DropoutProbability = 0.001,
        DropoutReadings = 6,
        OnBoard = [],
    };

    // The thresholds the gateway ships in appsettings.json, a hold of two readings and a rate limit that the fleet's
    // ±25 °C spikes break; the seeded day stays inside the shipped thresholds, so three sensors get overrides its daily
    // cycle crosses: sim-002 (19.2 to 28.7 °C) runs warm in the afternoon, sim-001 (22 to 49 %RH) dry, and sim-005
    // (56 to 73 %RH) humid at night.
    private static ClassificationOptions Classification()
    {
        var options = new ClassificationOptions();
        options.Defaults.Thresholds["temperature"] = new ThresholdOptions { LowCritical = 0, LowWarning = 10, HighWarning = 30, HighCritical = 40, Hysteresis = 0.5 };
        options.Defaults.Thresholds["humidity"] = new ThresholdOptions { LowWarning = 20, HighWarning = 75, HighCritical = 90, Hysteresis = 2 };
        options.Defaults.HoldReadings = 2;
        options.Defaults.RateOfChangeLimits["temperature"] = 5;
        options.Sensors["sim-002"] = new SensorClassificationOptions { Thresholds = { ["temperature"] = new ThresholdOptions { HighWarning = 26, HighCritical = 28 } } };
        options.Sensors["sim-001"] = new SensorClassificationOptions { Thresholds = { ["humidity"] = new ThresholdOptions { LowWarning = 25 } } };
        options.Sensors["sim-005"] = new SensorClassificationOptions { Thresholds = { ["humidity"] = new ThresholdOptions { HighWarning = 70 } } };
        return options;
    }

    [Fact]
    public async Task RunAsync_SeededFleetDayWithSpikesDropoutsAndARestart_ProducesExactlyTheExpectedAlertLog()
    {
        var fleet = new SyntheticFleet(Fleet());
        var sent = fleet.Between(Start, End).Where(s => !s.IsDropout).ToList();
        // Ticks fall on whole half-minutes, readings at each sensor's own offset: the two never share an instant, so
        // which of them the gateway sees first is never up to thread timing.
        Assert.DoesNotContain(sent, s => (s.Timestamp - Start).Ticks % CheckInterval.Ticks == 0);

        var time = new FakeTimeProvider(Start);
        var alerts = new AlertOptions { RenotifyInterval = TimeSpan.FromHours(1), CheckInterval = CheckInterval };
        // The gateway restarts at noon, with an alert active: the second run starts from the first's state file.
        var morning = await RunAsync(fleet, sent, time, alerts, Start, Restart);
        var afternoon = await RunAsync(fleet, sent, time, alerts, Restart, End);

        var notifications = morning.Notifications.Concat(afternoon.Notifications).ToList();
        var log = notifications.Select(Line).ToList();
        Assert.True(Expected.SequenceEqual(log), "The alert log differs; it was:" + Environment.NewLine + string.Join(Environment.NewLine, log.Select(l => $"            \"{l}\",")));
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), notifications.Select(n => n.Sequence));
        Assert.Equal(["sim-005/humidity"], afternoon.Active);

        Assert.Equal(sent.Count, morning.Written + afternoon.Written);
        Assert.Equal(0, morning.DeadLetters + afternoon.DeadLetters);
        Assert.Equal(14, sent.Count(s => s.IsSpike));
        Assert.Equal(sent.Count(s => s.IsSpike), morning.Spikes + afternoon.Spikes);
        Assert.Equal(sent.Count(s => s.IsSpike), morning.Invalid + afternoon.Invalid);
        Assert.Equal(StaleAlertsCalledFor(fleet, sent, alerts), notifications
            .Where(n => n.Alert.Kind == AlertKind.Stale)
            .Select(n => (n.Alert.SensorId, n.Transition, n.Timestamp)));
    }

    private static readonly DateTimeOffset Restart = Start.AddHours(12);

    /// <summary>
    /// One run of the gateway from <paramref name="from"/> to <paramref name="until"/>: a new workflow (restoring the
    /// state file of the run before, if any) fed by a new fleet source, stopped at the end as a host stops it.
    /// </summary>
    private async Task<RunRecord> RunAsync(SyntheticFleet fleet, List<SyntheticSample> sent, FakeTimeProvider time, AlertOptions alerts, DateTimeOffset from, DateTimeOffset until)
    {
        var directory = new SensorDirectory();
        await using var harness = new GatewayHarness(time, stateDirectory.FullName, directory, Classification(), alerts);
        var writer = new DealtWithCountingWriter(harness.Gateway.Events);
        var source = new SimulatedFleetSource(fleet, directory, writer, time);
        harness.Start(CheckInterval);
        using var stopFleet = new CancellationTokenSource();
        var feeding = source.RunAsync(stopFleet.Token);

        var first = sent.FindIndex(s => s.Timestamp > from);
        var due = first;
        for (var tick = from + CheckInterval; tick <= until; tick += CheckInterval)
        {
            // Up to just before the tick: every reading due by then is written by the source and dealt with by the
            // gateway; then the tick itself, awaited until the watchdog has processed it.
            var justBefore = tick - TimeSpan.FromTicks(1);
            await harness.AdvanceToAsync(justBefore);
            while (due < sent.Count && sent[due].Timestamp <= justBefore)
            {
                due++;
            }

            await writer.WhenDealtWithAsync(due - first).WaitAsync(Patience);
            await harness.AdvanceToAsync(tick);
        }

        await stopFleet.CancelAsync();
        await feeding.WaitAsync(Patience);
        var result = await harness.StopAsync();

        Assert.Equal(EventWorkflowOutcome.SourceCompleted, result.Outcome);
        Assert.Equal(due - first, source.Written);
        Assert.Equal(due - first, writer.DealtWith);
        Assert.Equal(0, writer.CompletedTwice);
        Assert.Equal(until, harness.Gateway.LastTick);
        var counts = harness.Gateway.Validator.Counts;
        return new RunRecord(harness.AlertLog.Notifications, [.. harness.Gateway.Alerts.Active.Select(a => a.Id)], source.Written,
            harness.Gateway.DeadLetters, counts[InvalidReason.RateOfChange], counts.Invalid);
    }

    private sealed record RunRecord(IReadOnlyList<AlertNotification> Notifications, List<string> Active, long Written, long DeadLetters, long Spikes, long Invalid);

    // Eight dropouts silence a sensor for six minutes each (stale after three, cleared by its next reading); each
    // override's thresholds are crossed once each way, left only past the hysteresis, with a reminder every hour;
    // the 14 spikes (down to -9.4 °C, up to 50.6 °C) are rejected, so none raises an alert; sim-005 is humid again
    // before midnight. The noon restart restores sim-002's warning without raising it again, and its next reminder
    // comes an hour after the restart.
    private static readonly string[] Expected =
    [
        "00:07:06 Raised Warning sim-005/humidity 70.45 (threshold 70)",
        "01:07:30 Renotified Warning sim-005/humidity 70.45 (threshold 70)",
        "02:07:30 Renotified Warning sim-005/humidity 70.45 (threshold 70)",
        "03:07:30 Renotified Warning sim-005/humidity 70.45 (threshold 70)",
        "04:06:30 Raised Warning sim-005/stale",
        "04:07:30 Renotified Warning sim-005/humidity 70.45 (threshold 70)",
        "04:10:06 Cleared Warning sim-005/stale",
        "05:07:30 Renotified Warning sim-005/humidity 70.45 (threshold 70)",
        "06:07:30 Renotified Warning sim-005/humidity 70.45 (threshold 70)",
        "07:07:30 Renotified Warning sim-005/humidity 70.45 (threshold 70)",
        "07:15:06 Cleared Warning sim-005/humidity 67.77 (threshold 70)",
        "09:44:30 Raised Warning sim-003/stale",
        "09:48:23 Cleared Warning sim-003/stale",
        "10:35:30 Raised Warning sim-004/stale",
        "10:39:11 Cleared Warning sim-004/stale",
        "10:47:49 Raised Warning sim-002/temperature 26.03 (threshold 26)",
        "11:40:30 Raised Warning sim-004/stale",
        "11:44:11 Cleared Warning sim-004/stale",
        "11:48:00 Renotified Warning sim-002/temperature 26.03 (threshold 26)",
        "12:00:00 Restored Warning sim-002/temperature 26.03 (threshold 26)",
        "12:39:50 Raised Warning sim-001/humidity 24.86 (threshold 25)",
        "13:00:00 Renotified Warning sim-002/temperature 26.03 (threshold 26)",
        "13:10:49 Escalated Critical sim-002/temperature 28.02 (threshold 28)",
        "13:21:00 Raised Warning sim-001/stale",
        "13:24:50 Cleared Warning sim-001/stale",
        "13:40:00 Renotified Warning sim-001/humidity 24.86 (threshold 25)",
        "14:11:00 Renotified Critical sim-002/temperature 28.02 (threshold 28)",
        "14:40:00 Renotified Warning sim-001/humidity 24.86 (threshold 25)",
        "15:11:00 Renotified Critical sim-002/temperature 28.02 (threshold 28)",
        "15:40:00 Renotified Warning sim-001/humidity 24.86 (threshold 25)",
        "16:11:00 Renotified Critical sim-002/temperature 28.02 (threshold 28)",
        "16:40:00 Renotified Warning sim-001/humidity 24.86 (threshold 25)",
        "16:55:30 Raised Warning sim-004/stale",
        "16:59:11 Cleared Warning sim-004/stale",
        "17:11:00 Renotified Critical sim-002/temperature 28.02 (threshold 28)",
        "17:40:00 Renotified Warning sim-001/humidity 24.86 (threshold 25)",
        "17:40:49 Deescalated Warning sim-002/temperature 27.47 (threshold 26)",
        "18:09:50 Cleared Warning sim-001/humidity 27.23 (threshold 25)",
        "18:41:00 Renotified Warning sim-002/temperature 27.47 (threshold 26)",
        "19:41:00 Renotified Warning sim-002/temperature 27.47 (threshold 26)",
        "19:42:49 Cleared Warning sim-002/temperature 25.43 (threshold 26)",
        "22:15:30 Raised Warning sim-003/stale",
        "22:19:23 Cleared Warning sim-003/stale",
        "23:22:30 Raised Warning sim-004/stale",
        "23:26:11 Cleared Warning sim-004/stale",
        "23:52:06 Raised Warning sim-005/humidity 70.11 (threshold 70)",
    ];

    private static string Line(AlertNotification notification)
    {
        var alert = notification.Alert;
        var line = $"{notification.Timestamp - Start:hh\\:mm\\:ss} {notification.Transition} {alert.Severity} {alert.Id}";
        return alert.Kind == AlertKind.Threshold
            ? line + string.Create(CultureInfo.InvariantCulture, $" {alert.Value:0.00} (threshold {alert.Threshold:0.#})")
            : line;
    }

    /// <summary>
    /// What the fleet's dropouts call for, worked out from its samples alone: a sensor whose readings stop for longer
    /// than the stale limit is raised stale at the first tick past it, and cleared by its next reading. A spike is
    /// rejected, so it does not count as a sign of life.
    /// </summary>
    private static List<(string SensorId, AlertTransition Transition, DateTimeOffset At)> StaleAlertsCalledFor(
        SyntheticFleet fleet, List<SyntheticSample> sent, AlertOptions alerts)
    {
        var limit = fleet.Interval * alerts.StaleFactor;
        var expected = new List<(string SensorId, AlertTransition Transition, DateTimeOffset At)>();
        foreach (var sensor in fleet.SensorIds)
        {
            var lastSeen = Start;
            foreach (var reading in sent.Where(s => s.SensorId == sensor && !s.IsSpike).Select(s => s.Timestamp).Append(End.AddTicks(1)))
            {
                var firstTickPast = FirstTickAfter(lastSeen + limit);
                if (firstTickPast < reading && firstTickPast <= End)
                {
                    expected.Add((sensor, AlertTransition.Raised, firstTickPast));
                    if (reading <= End)
                    {
                        expected.Add((sensor, AlertTransition.Cleared, reading));
                    }
                }

                lastSeen = reading;
            }
        }

        return [.. expected.OrderBy(e => e.At)];
    }

    private static DateTimeOffset FirstTickAfter(DateTimeOffset time)
    {
        var ticks = (time - Start).Ticks / CheckInterval.Ticks;
        return Start + TimeSpan.FromTicks((ticks + 1) * CheckInterval.Ticks);
    }
}
