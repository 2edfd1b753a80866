using System.Device.Gpio;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Emulation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Alerts;

public sealed class GpioAlertSinkTests
{
    private const int YellowLed = 17;
    private const int RedLed = 27;
    private const int Buzzer = 22;
    private const int Relay = 23;

    private readonly FakeTimeProvider time = new(EdgeTestKit.Start);
    private readonly EmulatedGpioDriver driver;
    private readonly GpioAlertSink sink;
    private long sequence;

    public GpioAlertSinkTests()
    {
        driver = new EmulatedGpioDriver(time);
        sink = new GpioAlertSink(new GpioController(driver),
        [
            new GpioOutputOptions { Name = "yellow", Pin = YellowLed, Severity = Severity.Warning },
            new GpioOutputOptions { Name = "red", Pin = RedLed, Severity = Severity.Critical },
            new GpioOutputOptions { Name = "buzzer", Pin = Buzzer, Severity = Severity.Critical, Pattern = OutputPattern.Blink, BlinkPeriod = TimeSpan.FromSeconds(1) },
            new GpioOutputOptions { Name = "relay", Pin = Relay, Severity = Severity.Critical, ActiveLow = true },
        ], time, NullLogger<GpioAlertSink>.Instance, ownsController: true);
    }

    private Task Publish(AlertTransition transition, string id, Severity severity) => sink.PublishAsync(new AlertNotification(
        ++sequence, transition,
        new Alert { Id = id, Kind = AlertKind.Threshold, Severity = severity, SensorId = "a", RaisedAt = time.GetUtcNow(), ChangedAt = time.GetUtcNow(), Message = id },
        Severity.Normal, time.GetUtcNow())).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    [Fact]
    public void Create_OpensEveryPinAsOutputAtItsInactiveLevel()
    {
        Assert.Equal([YellowLed, Buzzer, Relay, RedLed], driver.OpenPins.Order());
        Assert.Equal(PinValue.Low, driver.Level(YellowLed));
        Assert.Equal(PinValue.Low, driver.Level(Buzzer));
        Assert.Equal(PinValue.High, driver.Level(Relay));
    }

    [Fact]
    public async Task PublishAsync_WarningRaised_LightsOnlyTheWarningOutput()
    {
        await Publish(AlertTransition.Raised, "a/temperature", Severity.Warning);

        Assert.Equal(PinValue.High, driver.Level(YellowLed));
        Assert.Equal(PinValue.Low, driver.Level(RedLed));
        Assert.Equal(PinValue.Low, driver.Level(Buzzer));
        Assert.Equal(PinValue.High, driver.Level(Relay));
    }

    [Fact]
    public async Task PublishAsync_Escalated_MovesFromWarningToCriticalOutputs_RelayActiveLow()
    {
        await Publish(AlertTransition.Raised, "a/temperature", Severity.Warning);
        await Publish(AlertTransition.Escalated, "a/temperature", Severity.Critical);

        Assert.Equal(PinValue.Low, driver.Level(YellowLed));
        Assert.Equal(PinValue.High, driver.Level(RedLed));
        Assert.Equal(PinValue.Low, driver.Level(Relay));
    }

    [Fact]
    public async Task PublishAsync_CriticalBlinkPattern_TogglesEveryHalfPeriodUntilCleared()
    {
        var before = driver.WritesTo(Buzzer).Count;
        var start = time.GetUtcNow();
        await Publish(AlertTransition.Raised, "a/temperature", Severity.Critical);
        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        await Publish(AlertTransition.Cleared, "a/temperature", Severity.Critical);
        time.Advance(TimeSpan.FromSeconds(5));

        var buzzer = driver.WritesTo(Buzzer).Skip(before).ToList();
        Assert.Equal(
            [PinValue.High, PinValue.Low, PinValue.High, PinValue.Low, PinValue.High, PinValue.Low, PinValue.High, PinValue.Low],
            buzzer.Select(w => w.Value));
        Assert.Equal(
            [0, 500, 1000, 1500, 2000, 2500, 3000, 3000],
            buzzer.Select(w => (int)(w.At - start).TotalMilliseconds));
    }

    [Fact]
    public async Task PublishAsync_OneOfTwoAlertsCleared_KeepsOutputOn()
    {
        await Publish(AlertTransition.Raised, "a/temperature", Severity.Warning);
        await Publish(AlertTransition.Restored, "b/humidity", Severity.Warning);
        await Publish(AlertTransition.Cleared, "a/temperature", Severity.Warning);

        Assert.Equal(PinValue.High, driver.Level(YellowLed));

        await Publish(AlertTransition.Cleared, "b/humidity", Severity.Warning);

        Assert.Equal(PinValue.Low, driver.Level(YellowLed));
    }

    [Fact]
    public async Task Dispose_WhileBlinking_SetsOutputsInactiveClosesPinsAndStopsTheTimer()
    {
        await Publish(AlertTransition.Raised, "a/temperature", Severity.Critical);
        time.Advance(TimeSpan.FromMilliseconds(500));

        sink.Dispose();
        var writes = driver.Writes.Count;
        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(writes, driver.Writes.Count);
        Assert.Equal(PinValue.Low, driver.Level(RedLed));
        Assert.Equal(PinValue.Low, driver.Level(Buzzer));
        Assert.Equal(PinValue.High, driver.Level(Relay));
        Assert.Empty(driver.OpenPins);
        Assert.True(driver.Disposed);
    }
}
