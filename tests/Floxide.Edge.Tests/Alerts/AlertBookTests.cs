using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Alerts;

public sealed class AlertBookTests : IDisposable
{
    private readonly FakeTimeProvider time = new(EdgeTestKit.Start);
    private readonly DirectoryInfo stateDirectory = Directory.CreateTempSubdirectory("floxide-alerts-");
    private readonly SensorDirectory sensors = EdgeTestKit.Directory(EdgeTestKit.Bme280("a"), EdgeTestKit.Bme280("b"));

    public void Dispose() => stateDirectory.Delete(recursive: true);

    private AlertHarness Harness(AlertOptions? options = null, ClassificationOptions? classification = null) =>
        new(time, stateDirectory.FullName, sensors, options, classification);

    private void Minutes(int minutes) => time.Advance(TimeSpan.FromMinutes(minutes));

    [Fact]
    public async Task OnClassified_WarningThenCriticalThenBack_RaisesEscalatesDeescalatesClearsOnce()
    {
        await using var harness = Harness();
        foreach (var celsius in new[] { 20, 29, 29.5, 33, 33, 31, 30, 27, 20 })
        {
            harness.Feed("a", celsius);
            Minutes(1);
        }

        Assert.Equal(
        [
            "00:01 Raised Warning a/temperature",
            "00:03 Escalated Critical a/temperature",
            "00:05 Deescalated Warning a/temperature",
            "00:07 Cleared Warning a/temperature",
        ], await harness.LogAsync());
        Assert.Empty(harness.Book.Active);
    }

    [Fact]
    public async Task OnClassified_RaisedAlert_CarriesValueThresholdTimesAndMessage()
    {
        await using var harness = Harness();
        harness.Feed("a", 33.25);
        await harness.FlushAsync();

        var notification = Assert.Single(harness.Sink.Notifications);
        Assert.Equal(1, notification.Sequence);
        Assert.Equal(Severity.Normal, notification.PreviousSeverity);
        var alert = notification.Alert;
        Assert.Equal(("a/temperature", AlertKind.Threshold, Severity.Critical, "a", Quantity.Temperature, ThresholdZone.CriticalHigh),
            (alert.Id, alert.Kind, alert.Severity, alert.SensorId, alert.Quantity, alert.Zone));
        Assert.Equal(33.25, alert.Value);
        Assert.Equal(32, alert.Threshold);
        Assert.Equal(EdgeTestKit.Start, alert.RaisedAt);
        Assert.Null(alert.ClearedAt);
        Assert.Equal("a temperature 33.25 °C at or beyond critical-high threshold 32 °C", alert.Message);
    }

    [Fact]
    public async Task OnClassified_BackToNormal_ClearedAlertCarriesTheValueThatClearedIt()
    {
        await using var harness = Harness();
        harness.Feed("a", 29.5);
        Minutes(1);
        harness.Feed("a", 27.25);
        await harness.FlushAsync();

        var cleared = harness.Sink.Notifications[^1];
        Assert.Equal(AlertTransition.Cleared, cleared.Transition);
        Assert.Equal(((double?)27.25, (double?)28.0, EdgeTestKit.Start, (DateTimeOffset?)EdgeTestKit.Start.AddMinutes(1)), (cleared.Alert.Value, cleared.Alert.Threshold, cleared.Alert.RaisedAt, cleared.Alert.ClearedAt));
        Assert.Equal("a temperature 27.25 °C back to normal from warning-high threshold 28 °C", cleared.Alert.Message);
    }

    [Fact]
    public async Task OnTick_ActiveAlert_IsRenotifiedEveryIntervalAndNotAfterClearing()
    {
        await using var harness = Harness(new AlertOptions { RenotifyInterval = TimeSpan.FromMinutes(15) });
        harness.Feed("a", 29);
        for (var minute = 1; minute <= 40; minute++)
        {
            Minutes(1);
            harness.Feed("a", minute < 35 ? 29 : 20);

            harness.Feed("b", 20);
            harness.Tick();
        }

        Assert.Equal(
        [
            "00:00 Raised Warning a/temperature",
            "00:15 Renotified Warning a/temperature",
            "00:30 Renotified Warning a/temperature",
            "00:35 Cleared Warning a/temperature",
        ], await harness.LogAsync());
    }

    [Fact]
    public async Task OnTick_SensorSilentLongerThanThreeIntervals_RaisesStaleOnceAndItsNextReadingClearsIt()
    {
        await using var harness = Harness();
        harness.Feed("a", 20);
        harness.Feed("b", 20);
        for (var second = 30; second <= 600; second += 30)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            harness.Feed("b", 20);
            harness.Tick();
        }

        harness.Feed("a", 20);

        Assert.Equal(["00:03 Raised Warning a/stale", "00:10 Cleared Warning a/stale"], await harness.LogAsync());
        Assert.Contains("a is stale: no valid reading since 2026-06-01T00:00:00.0000000+00:00, more than 180 s (3 × its 60 s interval)",
            harness.Sink.Notifications[0].Alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnStatusChanged_OfflineThenOnline_RaisesAndClearsOfflineAndSuppressesStale()
    {
        await using var harness = Harness();
        harness.Feed("a", 20);
        harness.Book.OnStatusChanged(new SensorStatusChanged("a", time.GetUtcNow(), SensorStatus.Offline, "3 bus errors in a row"));
        harness.Book.OnStatusChanged(new SensorStatusChanged("a", time.GetUtcNow(), SensorStatus.Offline, "still"));
        for (var minute = 1; minute <= 10; minute++)
        {
            Minutes(1);
            harness.Feed("b", 20);
            harness.Tick();
        }

        harness.Book.OnStatusChanged(new SensorStatusChanged("a", time.GetUtcNow(), SensorStatus.Online, "read ok"));
        harness.Feed("a", 20);

        Assert.Equal(["00:00 Raised Critical a/offline", "00:10 Cleared Critical a/offline"], await harness.LogAsync());
        Assert.Equal("a is offline: 3 bus errors in a row", harness.Sink.Notifications[0].Alert.Message);
    }

    [Fact]
    public async Task Restore_AfterRestart_NeitherReRaisesNorForgetsAndClearsOnce()
    {
        await using (var before = Harness())
        {
            harness(before);
            await before.FlushAsync();
        }

        static void harness(AlertHarness h)
        {
            h.Feed("a", 33);
            h.Feed("b", humidity: 50, celsius: 4);
        }

        Minutes(5);
        await using var after = Harness();
        after.Feed("a", 32.5);
        after.Feed("b", 4.2);
        Minutes(1);
        after.Feed("a", 20);
        after.Feed("b", 20);

        Assert.Equal(
        [
            "00:00 Restored Critical a/temperature",
            "00:00 Restored Critical b/temperature",
            "00:06 Cleared Critical a/temperature",
            "00:06 Cleared Critical b/temperature",
        ], (await after.LogAsync()).Select(line => line.StartsWith("00:05", StringComparison.Ordinal) ? "00:00" + line[5..] : line));
        Assert.Equal([3L, 4L, 5L, 6L], after.Sink.Notifications.Select(n => n.Sequence));
        Assert.Empty(after.Book.Active);
    }

    [Fact]
    public async Task Restore_AfterRestart_FirstReminderIsOneIntervalAfterTheRestartAndUnwrittenRemindersKeepTheirSequences()
    {
        var options = new AlertOptions { RenotifyInterval = TimeSpan.FromMinutes(15) };
        await using (var before = Harness(options))
        {
            before.Feed("a", 29);
            for (var minute = 1; minute <= 40; minute++)
            {
                Minutes(1);
                before.Feed("a", 29);
                before.Feed("b", 20);
                before.Tick();
            }

            Assert.Equal(["00:00 Raised Warning a/temperature", "00:15 Renotified Warning a/temperature", "00:30 Renotified Warning a/temperature"],
                await before.LogAsync());
            Assert.Equal([1L, 2L, 3L], before.Sink.Notifications.Select(n => n.Sequence));
        }

        await using var after = Harness(new AlertOptions { RenotifyInterval = TimeSpan.FromMinutes(15) });
        after.Tick();
        for (var minute = 1; minute <= 16; minute++)
        {
            Minutes(1);
            after.Feed("a", 29);
            after.Feed("b", 20);
            after.Tick();
        }

        Assert.Equal(["00:40 Restored Warning a/temperature", "00:55 Renotified Warning a/temperature"], await after.LogAsync());
        // The file was last written at the raise (#1); the two reminders since were not, yet their numbers stay theirs.
        Assert.Equal([4L, 5L], after.Sink.Notifications.Select(n => n.Sequence));
    }

    [Fact]
    public async Task StateFile_IsWrittenOnlyWhenAlertsChange()
    {
        await using var harness = Harness(new AlertOptions { RenotifyInterval = TimeSpan.FromMinutes(1) });
        harness.Feed("a", 29);
        await harness.FlushAsync();
        var afterRaise = harness.StateWrites;
        for (var minute = 1; minute <= 5; minute++)
        {
            Minutes(1);
            harness.Feed("a", 29);
            harness.Feed("b", 20);
            harness.Tick();
        }

        await harness.FlushAsync();
        Assert.Equal(1, afterRaise);
        Assert.Equal(afterRaise, harness.StateWrites);
        Assert.Equal(6, harness.Sink.Notifications.Count);
    }

    [Fact]
    public async Task OnClassified_HoldTime_RaisesOnlyOnceTheExcursionHasLastedIt()
    {
        await using var harness = Harness(classification: EdgeTestKit.Temperature(holdTime: TimeSpan.FromMinutes(2)));
        foreach (var celsius in new[] { 29, 29, 20, 29, 29, 29, 29 })
        {
            harness.Feed("a", celsius);
            Minutes(1);
        }

        Assert.Equal(["00:05 Raised Warning a/temperature"], await harness.LogAsync());
    }

    [Fact]
    public void Validate_GpioOutputsSharingAPinOrWithoutOne_NamesEachOutput()
    {
        var problems = AlertOptionsValidator.Problems(new AlertOptions
        {
            GpioOutputs =
            [
                new GpioOutputOptions { Pin = 17 },
                new GpioOutputOptions { Pin = 17, Severity = Severity.Warning },
                new GpioOutputOptions { BlinkPeriod = TimeSpan.FromMilliseconds(10) },
            ],
        });

        Assert.Equal(
        [
            "Floxide:Alerts:GpioOutputs:1:Pin is 17, which another output already drives; give each output its own pin.",
            "Floxide:Alerts:GpioOutputs:2:Pin is -1; set the output's GPIO pin number (BCM numbering, e.g. 17).",
            "Floxide:Alerts:GpioOutputs:2:BlinkPeriod is 00:00:00.0100000; set 00:00:00.1 to 00:00:10.",
        ], problems);
    }

    [Fact]
    public void Constructor_InvalidOptions_NamesKeyValueAndFix()
    {
        var exception = Assert.Throws<ArgumentException>(() => Harness(new AlertOptions { StaleFactor = 1, RenotifyInterval = TimeSpan.FromSeconds(10) }));

        Assert.Contains("Floxide:Alerts:StaleFactor is 1; set 1.5 to 100", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Floxide:Alerts:RenotifyInterval is 00:00:10", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconfigure_NewRenotifyInterval_KeepsActiveAlerts()
    {
        await using var harness = Harness(new AlertOptions { RenotifyInterval = TimeSpan.Zero });
        harness.Feed("a", 29);

        harness.Book.Reconfigure(new AlertOptions { RenotifyInterval = TimeSpan.FromMinutes(5), StateFile = harness.Options.StateFile });
        Minutes(5);
        harness.Feed("b", 20);
        harness.Feed("a", 29);
        harness.Tick();

        Assert.Equal(["00:00 Raised Warning a/temperature", "00:05 Renotified Warning a/temperature"], await harness.LogAsync());
        Assert.Single(harness.Book.Active);
    }

    [Fact]
    public async Task OnSensorRemoved_ClearsEveryAlertOfThatSensorWithAReasonAndForgetsIt()
    {
        var directory = EdgeTestKit.Directory(EdgeTestKit.Bme280("a"), EdgeTestKit.Bme280("b"));
        await using var harness = new AlertHarness(time, stateDirectory.FullName, directory);
        harness.Feed("a", 33);
        harness.Feed("b", 29);
        harness.Book.OnStatusChanged(new SensorStatusChanged("a", time.GetUtcNow(), SensorStatus.Offline, "bus error"));

        directory.Remove("a");
        harness.Book.OnSensorRemoved("a", time.GetUtcNow());
        for (var minute = 1; minute <= 10; minute++)
        {
            Minutes(1);
            harness.Feed("b", 29);
            harness.Tick();
        }

        Assert.Equal(
        [
            "00:00 Raised Critical a/temperature",
            "00:00 Raised Warning b/temperature",
            "00:00 Raised Critical a/offline",
            "00:00 Cleared Critical a/temperature",
            "00:00 Cleared Critical a/offline",
        ], await harness.LogAsync());
        Assert.All(harness.Sink.Notifications.Skip(3), n => Assert.Equal("a was removed from the configuration; its alert ends with it", n.Alert.Message));
        Assert.Equal(["b/temperature"], harness.Book.Active.Select(alert => alert.Id));
        Assert.Equal(1, harness.Book.TrackedSensors);
    }

    [Fact]
    public async Task OnStatusChanged_SensorNeitherKnownNorWatched_IsIgnored()
    {
        await using var harness = Harness();

        harness.Book.OnStatusChanged(new SensorStatusChanged("ghost", time.GetUtcNow(), SensorStatus.Offline, "?"));

        Assert.Empty(await harness.LogAsync());
        Assert.Equal(0, harness.Book.TrackedSensors);
    }

    [Fact]
    public async Task OnTick_SensorAddedAfterStart_IsCheckedForStaleness()
    {
        var directory = EdgeTestKit.Directory(EdgeTestKit.Bme280("a"));
        await using var harness = new AlertHarness(time, stateDirectory.FullName, directory);
        harness.Feed("a", 20);
        harness.Tick();

        directory.Register(EdgeTestKit.Bme280("late"));
        harness.Tick();
        for (var minute = 1; minute <= 4; minute++)
        {
            Minutes(1);
            harness.Feed("a", 20);
            harness.Tick();
        }

        Assert.Equal(["00:04 Raised Warning late/stale"], await harness.LogAsync());
    }
}
