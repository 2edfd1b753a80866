using System.Device.Gpio;
using System.Device.I2c;

namespace Floxide.Edge.Sensors;

/// <summary>The buses drivers reach chips through: the real ones on a Raspberry Pi, or emulated ones.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface ISensorHardware
{
    /// <summary>Opens the device at <paramref name="address"/> on I²C bus <paramref name="busId"/>; no transfer happens yet.</summary>
    /// <param name="busId">The bus number N of <c>/dev/i2c-N</c>.</param>
    /// <param name="address">The 7-bit address.</param>
    /// <returns>The device; the caller disposes it.</returns>
    /// <exception cref="IOException">The bus cannot be opened.</exception>
    I2cDevice OpenI2cDevice(int busId, int address);

    /// <summary>The GPIO controller shared by the sensors on GPIO pins; the hardware owns it.</summary>
    /// <exception cref="InvalidOperationException">The machine has no GPIO controller.</exception>
    GpioController Gpio { get; }

    /// <summary>Where the kernel's 1-Wire devices appear (<c>/sys/bus/w1/devices</c>).</summary>
    string OneWireDevicesPath { get; }

    /// <summary>
    /// The clock that frames bit-banged on <see cref="Gpio"/> pins (a DHT's 40 bits) are timed with: its timestamps
    /// must resolve microseconds. <see cref="TimeProvider.System"/> (the <see cref="System.Diagnostics.Stopwatch"/>)
    /// on a Pi; the emulated driver's virtual clock in tests and simulation.
    /// </summary>
    TimeProvider GpioTimingClock { get; }
}

/// <summary>The machine's own buses: <c>/dev/i2c-N</c>, the board's GPIO controller, the kernel's 1-Wire sysfs tree.</summary>
/// <param name="oneWireDevicesPath">Where the kernel's 1-Wire devices appear.</param>
public sealed class SystemSensorHardware(string oneWireDevicesPath = "/sys/bus/w1/devices") : ISensorHardware, IDisposable
{
    private readonly Lazy<GpioController> gpio = new(() => new GpioController(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <inheritdoc/>
    public string OneWireDevicesPath { get; } = oneWireDevicesPath;

    /// <inheritdoc/>
    public GpioController Gpio => gpio.Value;

    /// <inheritdoc/>
    public TimeProvider GpioTimingClock => TimeProvider.System;

    /// <inheritdoc/>
    public I2cDevice OpenI2cDevice(int busId, int address) => I2cDevice.Create(new I2cConnectionSettings(busId, address));

    /// <inheritdoc/>
    public void Dispose()
    {
        if (gpio.IsValueCreated)
        {
            gpio.Value.Dispose();
        }
    }
}
