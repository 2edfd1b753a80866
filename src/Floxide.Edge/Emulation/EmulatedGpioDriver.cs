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
/// every write) tests can check. After the host pulls a DHT's pin low (the start signal) and turns it into an input,
/// the chip answers with the datasheet's timing: 80 µs low, 80 µs high, then per bit 50 µs low and 26–28 µs (0) or
/// 70 µs (1) high.
/// </summary>
/// <remarks>
/// The frame is timed on <see cref="Clock"/>, a virtual clock that advances by <see cref="PinReadCost"/> on each pin
/// read and by <see cref="ClockReadCost"/> on each timestamp taken from it, so a reader that times the frame on that
/// clock decodes the same bits whatever the machine's load: DHT reads are deterministic in tests and in simulation.
/// Each phase's clock starts at the first read that sees it, and a 0-bit's high lasts exactly one read. Pins may be
/// used from several threads; a DHT pin is read by one thread at a time (the DHT driver's bus lock sees to that).
/// </remarks>
/// <param name="writeLogClock">The clock that stamps each write in <see cref="Writes"/>, or null to log no writes.</param>
public sealed class EmulatedGpioDriver(TimeProvider? writeLogClock = null) : GpioDriver
{
    /// <summary>The virtual time one pin read takes: about what a read through libgpiod takes on a Raspberry Pi.</summary>
    public static readonly TimeSpan PinReadCost = TimeSpan.FromMicroseconds(2);

    /// <summary>The virtual time reading <see cref="Clock"/> takes.</summary>
    public static readonly TimeSpan ClockReadCost = TimeSpan.FromMicroseconds(1);

    private readonly ConcurrentDictionary<int, Pin> pins = new();
    private readonly ConcurrentDictionary<int, DhtChip> chips = new();
    private readonly ConcurrentDictionary<int, PinValue> levels = new();
    private readonly Lock writeLogGate = new();
    private readonly List<GpioWrite> writes = [];
    private readonly VirtualClock clock = new();
    private volatile bool disposed;

    /// <summary>
    /// The driver's virtual clock, for the code that times frames on its pins (<see cref="Sensors.ISensorHardware.GpioTimingClock"/>):
    /// its timestamps advance only as pins and the clock itself are read. It has no timers.
    /// </summary>
    public TimeProvider Clock => clock;

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

    /// <summary>
    /// Times DHT phases on the <see cref="Stopwatch"/> instead of <see cref="Clock"/>: what a reader that times bits in
    /// real time needs, as the <c>Iot.Device.DHTxx</c> bindings do (tests use it to check the emulated frames against
    /// them). Decoding then depends on the machine's load, as on real hardware.
    /// </summary>
    /// <value>The default is <see langword="false"/>: phases are timed on the virtual clock.</value>
    public bool TimePhasesInRealTime { get; init; }

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
    protected override PinValue Read(int pinNumber)
    {
        var virtualNow = clock.Advance(PinReadCost);
        var now = TimePhasesInRealTime ? Stopwatch.GetElapsedTime(0).Ticks : virtualNow;
        return PinOf(pinNumber).Read(now);
    }

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
        // A NACKed DHT frame: the chip sends its first 16 bits (the humidity word), starts the 17th and lets the line go.
        private const int BitsBeforeNack = 16;
        private (bool High, TimeSpan Duration)[] phases = [];
        private int index = -1;
        private long? phaseStart;
        private DhtChip? chip;

        public PinMode Mode { get; set; } = PinMode.Input;

        public PinValue Output { get; set; } = PinValue.High;

        public bool StartSignalSeen { get; set; }

        public void Arm(DhtChip? dht)
        {
            chip = dht;
            index = -1;
            phaseStart = null;
            if (dht is null || dht.Faults.Absent)
            {
                phases = [];
                return;
            }

            var bits = dht.Faults.TryConsumeNack() ? BitsBeforeNack : 40;
            var frame = dht.EncodeFrame();
            var list = new List<(bool, TimeSpan)>(84) { (false, Microseconds(80)), (true, Microseconds(80)) };
            for (var bit = 0; bit < bits; bit++)
            {
                list.Add((false, Microseconds(50)));
                list.Add((true, ((frame[bit / 8] >> (7 - bit % 8)) & 1) == 1 ? Microseconds(70) : TimeSpan.Zero));
            }

            // The low after the last bit: the end of a frame, or the start of a bit that never comes.
            list.Add((false, Microseconds(50)));
            phases = [.. list];
            index = 0;
        }

        public PinValue Read(long now)
        {
            if (Mode == PinMode.Output)
            {
                return Output;
            }

            if (index < 0 || index >= phases.Length)
            {
                return PinValue.High; // idle: the pull-up holds the line high
            }

            if (phaseStart is null)
            {
                chip?.Faults.Stall();
                phaseStart = now;
            }

            while (index < phases.Length)
            {
                var (high, duration) = phases[index];
                if (duration == TimeSpan.Zero)
                {
                    index++;
                    phaseStart = now;
                    return high ? PinValue.High : PinValue.Low;
                }

                if (VirtualClock.Between(phaseStart.Value, now) < duration)
                {
                    return high ? PinValue.High : PinValue.Low;
                }

                index++;
                phaseStart = now;
            }

            return PinValue.High;
        }

        private static TimeSpan Microseconds(int microseconds) => TimeSpan.FromMicroseconds(microseconds);
    }

    private sealed class VirtualClock : TimeProvider
    {
        private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

        public static TimeSpan Between(long start, long end) => TimeSpan.FromTicks(end - start);

        public long Advance(TimeSpan cost) => Interlocked.Add(ref ticks, cost.Ticks);

        public override long GetTimestamp() => Advance(ClockReadCost);

        public override DateTimeOffset GetUtcNow() => Epoch + TimeSpan.FromTicks(Interlocked.Read(ref ticks));

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            throw new NotSupportedException("The emulated GPIO clock only times frames; it has no timers.");
    }
}
