using System.Collections.Concurrent;
using System.Device.Gpio;
using System.Device.I2c;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Emulation;

/// <summary>
/// Emulated buses for the real drivers: I²C buses with emulated chips, a GPIO controller over an
/// <see cref="EmulatedGpioDriver"/> with DHT chips, and a fake 1-Wire sysfs tree. Used by tests and by the gateway's
/// simulated mode.
/// </summary>
public sealed class EmulatedSensorHardware : ISensorHardware, IDisposable
{
    private readonly ConcurrentDictionary<int, EmulatedI2cBus> i2cBuses = new();
    private readonly DirectoryInfo oneWireRoot;
    private readonly bool ownsOneWireRoot;

    /// <summary>Creates the buses; the 1-Wire tree goes to <paramref name="oneWireRoot"/>, or to a new temporary folder.</summary>
    /// <param name="oneWireRoot">A directory for the fake sysfs tree, or null for a temporary one removed on dispose.</param>
    public EmulatedSensorHardware(string? oneWireRoot = null)
    {
        ownsOneWireRoot = oneWireRoot is null;
        this.oneWireRoot = oneWireRoot is null ? Directory.CreateTempSubdirectory("floxide-w1-") : Directory.CreateDirectory(oneWireRoot);
        OneWire = new EmulatedOneWireBus(this.oneWireRoot.FullName);
        GpioDriver = new EmulatedGpioDriver();
        Gpio = new GpioController(GpioDriver);
    }

    /// <summary>The fake GPIO driver; attach DHT chips to its pins.</summary>
    public EmulatedGpioDriver GpioDriver { get; }

    /// <inheritdoc/>
    public GpioController Gpio { get; }

    /// <summary>The fake 1-Wire tree; attach DS18B20 chips to it.</summary>
    public EmulatedOneWireBus OneWire { get; }

    /// <inheritdoc/>
    public string OneWireDevicesPath => OneWire.Root;

    /// <summary>The I²C bus <paramref name="busId"/>, created on first use.</summary>
    /// <param name="busId">The bus number.</param>
    /// <returns>The bus.</returns>
    public EmulatedI2cBus I2cBus(int busId = 1) => i2cBuses.GetOrAdd(busId, id => new EmulatedI2cBus(id));

    /// <inheritdoc/>
    public I2cDevice OpenI2cDevice(int busId, int address) => I2cBus(busId).CreateDevice(address);

    /// <inheritdoc/>
    public void Dispose()
    {
        Gpio.Dispose();
        if (ownsOneWireRoot)
        {
            try
            {
                oneWireRoot.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A reader may still hold a FIFO open; the temporary folder is left to the OS.
            }
        }
    }
}
