using System.Collections.Concurrent;
using System.Device.Gpio;
using System.Device.I2c;
using Floxide.Edge.Devices;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Emulation;

/// <summary>One sensor laid out by <see cref="EmulatedSensorHardware.AttachDefaults"/>: its profile, its configuration and its chip.</summary>
/// <param name="Profile">The device profile.</param>
/// <param name="Device">The sensor's configuration: id, model, and where it is wired (bus, pin or 1-Wire id); no interval.</param>
/// <param name="Chip">The emulated chip wired there.</param>
public sealed record EmulatedDevice(DeviceProfile Profile, SensorDeviceOptions Device, EmulatedChip Chip);

/// <summary>
/// Emulated buses for the real drivers: I²C buses with emulated chips, a GPIO controller over an
/// <see cref="EmulatedGpioDriver"/> with DHT chips, and a fake 1-Wire sysfs tree. Used by tests and by the gateway's
/// simulated mode.
/// </summary>
public sealed class EmulatedSensorHardware : ISensorHardware, IDisposable
{
    // GPIO 4 is header pin 7, where DHT wiring guides put the data line.
    private const int FirstDhtPin = 4;

    private readonly ConcurrentDictionary<int, EmulatedI2cBus> i2cBuses = new();
    private readonly DirectoryInfo oneWireRoot;
    private readonly bool ownsOneWireRoot;

    /// <summary>Creates the buses; the 1-Wire tree goes to <paramref name="oneWireRoot"/>, or to a new temporary folder.</summary>
    /// <param name="oneWireRoot">A directory for the fake sysfs tree, or null for a temporary one removed on dispose.</param>
    public EmulatedSensorHardware(string? oneWireRoot = null)
    {
        ownsOneWireRoot = oneWireRoot is null;
        this.oneWireRoot = oneWireRoot is null ? CreateScratchFolder() : Directory.CreateDirectory(oneWireRoot);
        OneWire = new EmulatedOneWireBus(this.oneWireRoot.FullName);
        GpioDriver = new EmulatedGpioDriver();
        Gpio = new GpioController(GpioDriver);
    }

    // The emulated thermometers rewrite their w1_slave files at every refresh: in memory (/dev/shm) that wears no SD
    // card, which /tmp on Raspberry Pi OS would.
    private static DirectoryInfo CreateScratchFolder()
    {
        const string SharedMemory = "/dev/shm";
        if (Directory.Exists(SharedMemory))
        {
            try
            {
                return Directory.CreateDirectory(Path.Combine(SharedMemory, $"floxide-w1-{Guid.NewGuid():N}"));
            }
            catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
            {
                // Not writable here (a sandbox without /dev/shm): the temporary folder serves.
            }
        }

        return Directory.CreateTempSubdirectory("floxide-w1-");
    }

    /// <summary>The fake GPIO driver; attach DHT chips to its pins.</summary>
    public EmulatedGpioDriver GpioDriver { get; }

    /// <inheritdoc/>
    public GpioController Gpio { get; }

    /// <inheritdoc/>
    /// <remarks>The <see cref="EmulatedGpioDriver.Clock"/>, so that DHT frames decode the same on any machine.</remarks>
    public TimeProvider GpioTimingClock => GpioDriver.Clock;

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

    /// <summary>
    /// Wires a chip of <paramref name="profile"/>'s driver where <paramref name="device"/> says it is: at its address
    /// (or the profile's default) on its I²C bus, on its GPIO pin, or under its 1-Wire id.
    /// </summary>
    /// <param name="profile">The device profile; its driver key picks the emulator.</param>
    /// <param name="device">The sensor's configuration.</param>
    /// <returns>The chip.</returns>
    /// <exception cref="ArgumentException">No emulator serves the profile's driver, or the configuration lacks the pin or 1-Wire id its bus needs.</exception>
    /// <exception cref="InvalidOperationException">The address or pin already has a chip.</exception>
    public EmulatedChip Attach(DeviceProfile profile, SensorDeviceOptions device)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(device);
        var address = device.Address ?? profile.I2c?.DefaultAddress ?? 0;
        return profile.Driver switch
        {
            DeviceDrivers.Bme280 => I2cBus(device.Bus).Attach(address, new Bmx280Chip()),
            DeviceDrivers.Bmp280 => I2cBus(device.Bus).Attach(address, new Bmx280Chip(withHumidity: false)),
            DeviceDrivers.Sht3x => I2cBus(device.Bus).Attach(address, new Sht3xChip()),
            DeviceDrivers.Sht4x => I2cBus(device.Bus).Attach(address, new Sht4xChip()),
            DeviceDrivers.Aht20 => I2cBus(device.Bus).Attach(address, new AhtChip()),
            DeviceDrivers.Aht10 => I2cBus(device.Bus).Attach(address, new AhtChip(aht10: true)),
            DeviceDrivers.Si7021 => I2cBus(device.Bus).Attach(address,
                new Si7021Chip(htu21d: !string.Equals(profile.Model, "si7021", StringComparison.OrdinalIgnoreCase))),
            DeviceDrivers.Dht22 => GpioDriver.Attach(PinOf(profile, device), new DhtChip()),
            DeviceDrivers.Dht11 => GpioDriver.Attach(PinOf(profile, device), new DhtChip(dht11: true)),
            DeviceDrivers.Ds18b20 => OneWire.Attach(device.OneWireId
                ?? throw new ArgumentException($"Sensor '{device.Id}' ({profile.Model}) needs a OneWireId.", nameof(device))),
            _ => throw new ArgumentException($"No emulator for driver '{profile.Driver}' (profile {profile.Model}).", nameof(profile)),
        };
    }

    /// <summary>
    /// Lays out one sensor per profile as a board would have them and wires a chip for each: I²C chips at their
    /// default address, each further model that shares an address on a bus of its own (bus 1, 2, …); DHTs on GPIO 4,
    /// 5, …; 1-Wire chips under ids made of the family and the position, e.g. <c>28-000000000003</c>.
    /// </summary>
    /// <param name="profiles">The profiles, in order; their sensors get ids <paramref name="idPrefix"/> + model.</param>
    /// <param name="idPrefix">Prefix of the sensor ids, e.g. <c>sim-</c>.</param>
    /// <returns>The sensors, in <paramref name="profiles"/> order; set their interval before polling.</returns>
    /// <exception cref="ArgumentException">No emulator serves a profile's driver.</exception>
    public IReadOnlyList<EmulatedDevice> AttachDefaults(IEnumerable<DeviceProfile> profiles, string idPrefix)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(idPrefix);
        var devices = new List<EmulatedDevice>();
        var busesPerAddress = new Dictionary<int, int>();
        var pin = FirstDhtPin;
        foreach (var profile in profiles)
        {
            var device = new SensorDeviceOptions { Id = $"{idPrefix}{profile.Model}", Model = profile.Model };
            switch (profile.Bus)
            {
                case DeviceBus.I2c:
                    var address = profile.I2c!.DefaultAddress;
                    device.Bus = busesPerAddress[address] = busesPerAddress.GetValueOrDefault(address) + 1;
                    break;
                case DeviceBus.Gpio:
                    device.Pin = pin++;
                    break;
                case DeviceBus.OneWire:
                    device.OneWireId = $"{profile.OneWire!.Family:x2}-{devices.Count:x12}";
                    break;
            }

            devices.Add(new EmulatedDevice(profile, device, Attach(profile, device)));
        }

        return devices;
    }

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

    private static int PinOf(DeviceProfile profile, SensorDeviceOptions device) =>
        device.Pin ?? throw new ArgumentException($"Sensor '{device.Id}' ({profile.Model}) needs a Pin.", nameof(device));
}
