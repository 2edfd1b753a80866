using System.Device.Gpio;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Emulation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Alerts;

/// <summary>What the GPIO sink releases when a pin fails, so a failure never leaves an output open or a buzzer sounding.</summary>
public sealed class GpioAlertSinkReleaseTests
{
    private static readonly int[] Pins = [17, 27, 22, 23];
    private readonly FakeTimeProvider time = new(EdgeTestKit.Start);
    private readonly FakeLogger<GpioAlertSink> logger = new();

    private static GpioOutputOptions[] Outputs() =>
    [
        new() { Name = "amber", Pin = 17, Severity = Severity.Warning },
        new() { Name = "red", Pin = 27, Severity = Severity.Critical },
        new() { Name = "buzzer", Pin = 22, Severity = Severity.Critical, Pattern = OutputPattern.Blink },
        new() { Name = "relay", Pin = 23, Severity = Severity.Critical, ActiveLow = true },
    ];

    [Fact]
    public void Create_ThirdPinBusy_ThrowsAndReleasesThePinsAlreadyOpenedAndTheOwnedController()
    {
        // The emulated driver never refuses a pin; a Pi's does when another process holds the line.
        var driver = new BusyPinGpioDriver(busyPin: 22);
        var controller = new GpioController(driver);

        var exception = Assert.Throws<IOException>(() => new GpioAlertSink(controller, Outputs(), time, logger, ownsController: true));

        Assert.Contains("GPIO 22", exception.Message, StringComparison.Ordinal);
        Assert.Equal([17, 27], driver.Opened);
        Assert.Equal([17, 27], driver.Closed);
        Assert.Equal(PinValue.Low, driver.Level(17));
        Assert.True(driver.Disposed);
    }

    [Fact]
    public async Task Dispose_OnePinFailsToRelease_StillReleasesEveryOtherPinAndLogsTheFailure()
    {
        using var controller = new GpioController(new EmulatedGpioDriver());
        var sink = new GpioAlertSink(controller, Outputs(), time, logger);
        await sink.PublishAsync(new AlertNotification(1, AlertTransition.Raised,
            new Alert { Id = "a/temperature", Kind = AlertKind.Threshold, Severity = Severity.Critical, SensorId = "a", RaisedAt = time.GetUtcNow(), ChangedAt = time.GetUtcNow(), Message = "hot" },
            Severity.Normal, time.GetUtcNow()));
        Assert.Equal(PinValue.High, controller.Read(27));

        // Something else closed the red LED's pin under the sink: writing and closing it now fail.
        controller.ClosePin(27);
        sink.Dispose();

        Assert.All(Pins, pin => Assert.False(controller.IsPinOpen(pin)));
        var failures = logger.Collector.GetSnapshot().Where(record => record.Level == LogLevel.Error).ToList();
        Assert.NotEmpty(failures);
        Assert.All(failures, record => Assert.Contains("Alert output red (GPIO 27)", record.Message, StringComparison.Ordinal));
    }

    /// <summary>A GPIO driver whose one pin is held by another process: opening it fails as libgpiod's does (EBUSY).</summary>
    private sealed class BusyPinGpioDriver(int busyPin) : GpioDriver
    {
        private readonly Dictionary<int, PinMode> modes = [];
        private readonly Dictionary<int, PinValue> levels = [];

        public List<int> Opened { get; } = [];

        public List<int> Closed { get; } = [];

        public bool Disposed { get; private set; }

        public PinValue Level(int pin) => levels.GetValueOrDefault(pin, PinValue.Low);

        protected override int PinCount => 28;

        protected override void OpenPin(int pinNumber)
        {
            if (pinNumber == busyPin)
            {
                throw new IOException($"GPIO {pinNumber}: Device or resource busy");
            }

            Opened.Add(pinNumber);
            modes[pinNumber] = PinMode.Input;
        }

        protected override void ClosePin(int pinNumber) => Closed.Add(pinNumber);

        protected override void SetPinMode(int pinNumber, PinMode mode) => modes[pinNumber] = mode;

        protected override PinMode GetPinMode(int pinNumber) => modes.GetValueOrDefault(pinNumber, PinMode.Input);

        protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

        protected override PinValue Read(int pinNumber) => Level(pinNumber);

        protected override void Write(int pinNumber, PinValue value) => levels[pinNumber] = value;

        protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Output pins only.");

        protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
            throw new NotSupportedException("Output pins only.");

        protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
            throw new NotSupportedException("Output pins only.");

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
