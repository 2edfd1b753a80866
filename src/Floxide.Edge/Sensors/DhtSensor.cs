using System.Device.Gpio;
using System.Diagnostics;
using Floxide.Edge.Devices;
using Floxide.Edge.Readings;
using UnitsNet;

namespace Floxide.Edge.Sensors;

/// <summary>
/// A DHT22/AM2302 or DHT11 on a GPIO pin, read through <see cref="GpioController"/> with the single-wire protocol
/// the <c>Iot.Device.DHTxx</c> bindings use: start signal, then the 40-bit frame timed on <paramref name="clock"/>'s
/// timestamps (the <see cref="Stopwatch"/> on a Pi; a virtual clock over emulated pins, so decoding is deterministic).
/// </summary>
/// <remarks>
/// The protocol is spoken here rather than through <c>Dht22</c>/<c>Dht11</c> 4.2.0, which cannot be trusted for a
/// gateway that runs for months: its constructor sleeps a second; its read cache compares
/// <c>TimeSpan.Milliseconds</c> (a component, not the total) with <c>Environment.TickCount</c> against a field that
/// starts at 0, so a process started while the tick count is negative (uptime 24.9–49.7 days) never reads at all;
/// and <c>TryRead…</c> returns the same <see langword="false"/> for a missing sensor and a bad checksum, which must
/// be different faults here. Phase timeouts are measured in time, not in loop counts, so they do not depend on the
/// speed of the GPIO driver.
/// </remarks>
internal sealed class DhtSensor(DeviceProfile profile, GpioController controller, int pin, TimeProvider clock) : ISensor
{
    private const double PhaseTimeoutMicroseconds = 1000;
    private const double OneBitThresholdMicroseconds = 40;
    private readonly double ticksPerMicrosecond = clock.TimestampFrequency / 1e6;
    private readonly bool dht11 = profile.Driver == DeviceDrivers.Dht11;
    private readonly byte[] frame = new byte[5];

    public string Source => $"{profile.Model} gpio-{pin}";

    // DHT frames are timed by busy-polling; two at once would compete for the CPU and corrupt each other.
    public string BusKey => "gpio-dht";

    public SensorReadResult Read()
    {
        if (!controller.IsPinOpen(pin))
        {
            controller.OpenPin(pin);
        }

        var inputMode = controller.IsPinModeSupported(pin, PinMode.InputPullUp) ? PinMode.InputPullUp : PinMode.Input;

        // Start signal: hold the line low ≥ 1 ms (DHT22) or ≥ 18 ms (DHT11), release it, and listen.
        controller.SetPinMode(pin, PinMode.Output);
        controller.Write(pin, PinValue.High);
        controller.Write(pin, PinValue.Low);
        if (dht11)
        {
            Thread.Sleep(18);
        }

        Spin(dht11 ? 2_000 : 1_100);
        controller.Write(pin, PinValue.High);
        controller.SetPinMode(pin, inputMode);

        // The sensor answers 20–40 µs after the release with 80 µs low, 80 µs high.
        if (WaitWhile(PinValue.High) < 0)
        {
            return SensorReadResult.Failure(SensorFaultKind.NotPresent, $"No {profile.DisplayName} answers on GPIO {pin}: the line stayed high after the start signal.");
        }

        if (WaitWhile(PinValue.Low) < 0 || WaitWhile(PinValue.High) < 0)
        {
            return SensorReadResult.Failure(SensorFaultKind.BusError, $"The {profile.DisplayName} on GPIO {pin} started an answer and stopped.");
        }

        Array.Clear(frame);
        for (var bit = 0; bit < 40; bit++)
        {
            // Each bit: 50 µs low, then high for 26–28 µs (0) or 70 µs (1).
            if (WaitWhile(PinValue.Low) < 0)
            {
                return CutShort(bit);
            }

            var high = WaitWhile(PinValue.High);
            if (high < 0)
            {
                return CutShort(bit);
            }

            if (high > OneBitThresholdMicroseconds)
            {
                frame[bit / 8] |= (byte)(0x80 >> (bit % 8));
            }
        }

        var sum = (byte)(frame[0] + frame[1] + frame[2] + frame[3]);
        if (sum != frame[4])
        {
            return SensorReadResult.Failure(SensorFaultKind.ChecksumMismatch,
                $"The {profile.DisplayName} on GPIO {pin} sent {Convert.ToHexString(frame)}: checksum 0x{frame[4]:x2}, expected 0x{sum:x2}.");
        }

        if (frame[0] == 0 && frame[1] == 0 && frame[2] == 0 && frame[3] == 0)
        {
            return SensorReadResult.Failure(SensorFaultKind.NoData, $"The {profile.DisplayName} on GPIO {pin} sent an all-zero frame.");
        }

        return SensorReadResult.Success(Decode());
    }

    public void Dispose()
    {
        if (controller.IsPinOpen(pin))
        {
            controller.ClosePin(pin);
        }
    }

    private SensorSample Decode()
    {
        if (dht11)
        {
            return new SensorSample(
                Temperature.FromDegreesCelsius(frame[2] + frame[3] * 0.1),
                RelativeHumidity.FromPercent(frame[0] + frame[1] * 0.1),
                null);
        }

        var temperature = ((frame[2] & 0x7F) << 8 | frame[3]) * 0.1;
        return new SensorSample(
            Temperature.FromDegreesCelsius((frame[2] & 0x80) != 0 ? -temperature : temperature),
            RelativeHumidity.FromPercent((frame[0] << 8 | frame[1]) * 0.1),
            null);
    }

    private SensorReadResult CutShort(int bits) => SensorReadResult.Failure(SensorFaultKind.BusError,
        $"The {profile.DisplayName} on GPIO {pin} stopped after {bits} of 40 bits.");

    // How long the line kept `level`, in µs; −1 when it still has it after the phase timeout.
    private double WaitWhile(PinValue level)
    {
        var start = clock.GetTimestamp();
        while (controller.Read(pin) == level)
        {
            if (MicrosecondsSince(start) > PhaseTimeoutMicroseconds)
            {
                return -1;
            }
        }

        return MicrosecondsSince(start);
    }

    private void Spin(double microseconds)
    {
        var start = clock.GetTimestamp();
        while (MicrosecondsSince(start) < microseconds)
        {
            Thread.SpinWait(10);
        }
    }

    private double MicrosecondsSince(long start) => (clock.GetTimestamp() - start) / ticksPerMicrosecond;
}
