using Floxide.Edge.Devices;

namespace Floxide.Edge.Sensors;

/// <summary>Creates the driver a profile's driver key names, for one configured sensor.</summary>
public static class SensorDriverFactory
{
    /// <summary>Creates the sensor; nothing is read until its first <see cref="ISensor.Read"/>.</summary>
    /// <param name="profile">The sensor's device profile.</param>
    /// <param name="device">The sensor's configuration (bus, address, pin, 1-Wire id).</param>
    /// <param name="hardware">The buses.</param>
    /// <returns>The sensor.</returns>
    /// <exception cref="ArgumentException">The configuration lacks what the bus needs (validation catches this first).</exception>
    public static ISensor Create(DeviceProfile profile, SensorDeviceOptions device, ISensorHardware hardware)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(hardware);
        var address = device.Address ?? profile.I2c?.DefaultAddress ?? 0;
        return profile.Driver switch
        {
            DeviceDrivers.Bme280 or DeviceDrivers.Bmp280 => new Bmx280Sensor(profile, hardware, device.Bus, address),
            DeviceDrivers.Sht3x => new Sht3xSensor(profile, hardware, device.Bus, address),
            DeviceDrivers.Sht4x => new Sht4xSensor(profile, hardware, device.Bus, address),
            DeviceDrivers.Aht20 or DeviceDrivers.Aht10 => new AhtSensor(profile, hardware, device.Bus, address),
            DeviceDrivers.Si7021 => new Si7021Sensor(profile, hardware, device.Bus, address,
                verifyElectronicId: string.Equals(profile.Model, "si7021", StringComparison.OrdinalIgnoreCase)),
            DeviceDrivers.Dht22 or DeviceDrivers.Dht11 => new DhtSensor(profile, hardware.Gpio,
                device.Pin ?? throw new ArgumentException($"Sensor '{device.Id}' ({profile.Model}) needs a Pin.", nameof(device)),
                hardware.GpioTimingClock),
            DeviceDrivers.Ds18b20 => new Ds18b20Sensor(profile, hardware.OneWireDevicesPath,
                device.OneWireId ?? throw new ArgumentException($"Sensor '{device.Id}' ({profile.Model}) needs a OneWireId.", nameof(device))),
            _ => throw new ArgumentException($"No driver is named '{profile.Driver}' (profile {profile.Model}); known: {string.Join(", ", DeviceDrivers.All)}.", nameof(profile)),
        };
    }
}
