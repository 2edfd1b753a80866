using System.Collections.Concurrent;
using System.Device.Gpio;
using System.Diagnostics;

namespace Floxide.Edge.Emulation;

/// <summary>One write to an output pin of an <see cref="EmulatedGpioDriver"/>.</summary>
/// <param name="At">When it happened, on the write log's clock.</param>
/// <param name="Pin">The GPIO number.</param>
/// <param name="Value">The level written.</param>
public readonly record struct GpioWrite(DateTimeOffset At, int Pin, PinValue Value);

/// <summary>
/// A fake <see cref="GpioDriver"/> with DHT chips on pins, and output pins whose levels (and, with a write log,
/// every write) tests can check. After the host pulls the pin low (the start signal) and
/// turns it into an input, the chip answers with the datasheet's timing: 80 µs low, 80 µs high, then per bit 50 µs
/// low and 26–28 µs (0) or 70 µs (1) high.
/// </summary>
/// <remarks>
/// The frame is reactive: each phase's clock starts at the first read that sees it, and a 0-bit's high lasts
/// exactly one read, so a reader that polls the pin decodes it even on a loaded machine; a reader preempted in the
/// middle of a frame loses it (a checksum failure), as on a real Pi. Thread-safe.
/// </remarks>
/// <param name="writeLogClock">The clock that stamps each write in <see cref="Writes"/>, or null to log no writes.</param>
public sealed class EmulatedGpioDriver(TimeProvider? writeLogClock = null) : GpioDriver
{
    private readonly ConcurrentDictionary<int, Pin> pins = new();
    private readonly ConcurrentDictionary<int, DhtChip> chips = new();
    private readonly ConcurrentDictionary<int, PinValue> levels = new();
    private readonly Lock writeLogGate = new();
    private readonly List<GpioWrite> writes = [];
    private volatile bool disposed;

    /// <summary>Every write to an output pin so far, in order; empty when the driver has no write log.</summary>
    public IReadOnlyList<GpioWrite> Writes
    {
        get
        {
            lock (writeLogGate)
            {
                return [.. writes];
            }
        }
    }

    /// <summary>The pins open now.</summary>
    public IReadOnlyCollection<int> OpenPins => [.. pins.Keys];

    /// <summary>Whether the driver has been disposed (as its <see cref="GpioController"/> does when disposed).</summary>
    public bool Disposed => disposed;

    /// <inheritdoc/>
    protected override int PinCount => 28;

    /// <summary>The level <paramref name="pin"/> was last driven to, also after it was closed; low before any write.</summary>
    /// <param name="pin">The GPIO number.</param>
    /// <returns>The level.</returns>
    public PinValue Level(int pin) => levels.GetValueOrDefault(pin, PinValue.Low);

    /// <summary>The writes to <paramref name="pin"/> so far, in order; empty when the driver has no write log.</summary>
    /// <param name="pin">The GPIO number.</param>
    /// <returns>When each write happened and its level.</returns>
    public IReadOnlyList<GpioWrite> WritesTo(int pin) => [.. Writes.Where(w => w.Pin == pin)];

    /// <summary>Wires <paramref name="chip"/> to <paramref name="pin"/>.</summary>
    /// <param name="pin">The GPIO number.</param>
    /// <param name="chip">The chip.</param>
    /// <returns>The chip.</returns>
    public DhtChip Attach(int pin, DhtChip chip)
    {
        ArgumentNullException.ThrowIfNull(chip);
        if (!chips.TryAdd(pin, chip))
        {
            throw new InvalidOperationException($"GPIO {pin} already has a chip.");
        }

        return chip;
    }

    /// <summary>The chip on <paramref name="pin"/>, if any.</summary>
    /// <param name="pin">The GPIO number.</param>
    /// <returns>The chip, or null.</returns>
    public DhtChip? ChipAt(int pin) => chips.GetValueOrDefault(pin);

    /// <inheritdoc/>
    protected override void OpenPin(int pinNumber) => pins.GetOrAdd(pinNumber, _ => new Pin());

    /// <inheritdoc/>
    protected override void ClosePin(int pinNumber) => pins.TryRemove(pinNumber, out _);

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        var pin = PinOf(pinNumber);
        pin.Mode = mode;
        if (mode != PinMode.Output && pin.StartSignalSeen)
        {
            pin.StartSignalSeen = false;
            pin.Arm(chips.GetValueOrDefault(pinNumber));
        }
    }

    /// <inheritdoc/>
    protected override PinMode GetPinMode(int pinNumber) => PinOf(pinNumber).Mode;

    /// <inheritdoc/>
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    /// <inheritdoc/>
    protected override PinValue Read(int pinNumber) => PinOf(pinNumber).Read();

    /// <inheritdoc/>
    protected override void Write(int pinNumber, PinValue value)
    {
        var pin = PinOf(pinNumber);
        pin.Output = value;
        levels[pinNumber] = value;
        if (writeLogClock is not null)
        {
            lock (writeLogGate)
            {
                writes.Add(new GpioWrite(writeLogClock.GetUtcNow(), pinNumber, value));
            }
        }

        if (value == PinValue.Low)
        {
            pin.StartSignalSeen = true;
        }
    }

    /// <inheritdoc/>
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The emulated GPIO driver serves polled reads only.");

    /// <inheritdoc/>
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("The emulated GPIO driver serves polled reads only.");

    /// <inheritdoc/>
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("The emulated GPIO driver serves polled reads only.");

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        disposed = true;
        base.Dispose(disposing);
    }

    private Pin PinOf(int pinNumber) =>
        pins.TryGetValue(pinNumber, out var pin) ? pin : throw new InvalidOperationException($"GPIO {pinNumber} is not open.");

    private sealed class Pin
    {
        private static readonly double TicksPerMicrosecond = Stopwatch.Frequency / 1e6;
        private (bool High, double Microseconds)[] phases = [];
        private int index = -1;
        private long phaseStart;
        private DhtChip? chip;

        public PinMode Mode { get; set; } = PinMode.Input;

        public PinValue Output { get; set; } = PinValue.High;

        public bool StartSignalSeen { get; set; }

        public void Arm(DhtChip? dht)
        {
            chip = dht;
            index = -1;
            if (dht is null || dht.Faults.Absent)
            {
                phases = [];
                return;
            }

            if (dht.Faults.TryConsumeNack())
            {
                // The chip answers, then stops after a few bits: the reader times out mid-frame.
                phases = [(false, 80), (true, 80), (false, 50), (true, 70), (false, 50), (true, 0)];
                index = 0;
                phaseStart = 0;
                return;
            }

            var frame = dht.EncodeFrame();
            var list = new List<(bool, double)>(84) { (false, 80), (true, 80) };
            foreach (var value in frame)
            {
                for (var bit = 7; bit >= 0; bit--)
                {
                    list.Add((false, 50));
                    list.Add((true, ((value >> bit) & 1) == 1 ? 70 : 0));
                }
            }

            list.Add((false, 50));
            phases = [.. list];
            index = 0;
            phaseStart = 0;
        }

        public PinValue Read()
        {
            if (Mode == PinMode.Output)
            {
                return Output;
            }

            if (index < 0 || index >= phases.Length)
            {
                return PinValue.High; // idle: the pull-up holds the line high
            }

            if (index == 0 && phaseStart == 0 && chip is not null)
            {
                chip.Faults.Stall();
            }

            var now = Stopwatch.GetTimestamp();
            if (phaseStart == 0)
            {
                phaseStart = now;
            }

            while (index < phases.Length)
            {
                var (high, microseconds) = phases[index];
                if (microseconds == 0)
                {
                    index++;
                    phaseStart = now;
                    return high ? PinValue.High : PinValue.Low;
                }

                if ((now - phaseStart) / TicksPerMicrosecond < microseconds)
                {
                    return high ? PinValue.High : PinValue.Low;
                }

                index++;
                phaseStart = now;
            }

            return PinValue.High;
        }
    }
}
