using System.Device.Gpio;

namespace Floxide.Edge.Tests.Alerts;

/// <summary>
/// A GPIO driver for output tests: tracks each pin's mode and level, as System.Device.Gpio's controller expects of a
/// driver, and records every write with the time it happened, so tests can check pins, levels and blink cadence.
/// </summary>
internal sealed class RecordingGpioDriver(TimeProvider time) : GpioDriver
{
    private readonly Dictionary<int, PinMode> modes = [];
    private readonly Dictionary<int, PinValue> levels = [];
    private readonly List<(DateTimeOffset At, int Pin, PinValue Value)> writes = [];
    private readonly Lock gate = new();

    public IReadOnlyList<(DateTimeOffset At, int Pin, PinValue Value)> Writes
    {
        get
        {
            lock (gate)
            {
                return [.. writes];
            }
        }
    }

    public HashSet<int> OpenPins { get; } = [];

    public HashSet<int> ClosedPins { get; } = [];

    public bool Disposed { get; private set; }

    public PinValue Level(int pin)
    {
        lock (gate)
        {
            return levels.GetValueOrDefault(pin, PinValue.Low);
        }
    }

    public IReadOnlyList<(DateTimeOffset At, PinValue Value)> WritesTo(int pin) => [.. Writes.Where(w => w.Pin == pin).Select(w => (w.At, w.Value))];

    protected override int PinCount => 28;

    protected override void OpenPin(int pinNumber)
    {
        lock (gate)
        {
            OpenPins.Add(pinNumber);
            modes[pinNumber] = PinMode.Input;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (gate)
        {
            OpenPins.Remove(pinNumber);
            ClosedPins.Add(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (gate)
        {
            modes[pinNumber] = mode;
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (gate)
        {
            return modes.GetValueOrDefault(pinNumber, PinMode.Input);
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => Level(pinNumber);

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (gate)
        {
            levels[pinNumber] = value;
            writes.Add((time.GetUtcNow(), pinNumber, value));
        }
    }

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
