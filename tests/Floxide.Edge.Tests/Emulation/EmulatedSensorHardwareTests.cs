using Floxide.Edge.Emulation;
using Floxide.Edge.Sensors;
using Floxide.Edge.Tests.Support;

namespace Floxide.Edge.Tests.Emulation;

public sealed class EmulatedSensorHardwareTests
{
    [Fact]
    public void AttachDefaults_ModelsSharingAnAddress_GetBusesOfTheirOwn_DhtsConsecutivePins_OneWireIdsByPosition()
    {
        using var hardware = new EmulatedSensorHardware();
        string[] models = ["bme280", "dht22", "bmp280", "ds18b20", "dht11", "sht3x"];

        var devices = hardware.AttachDefaults(models.Select(SensorRig.Catalog.Get), "board-");

        Assert.Equal(models.Select(m => $"board-{m}"), devices.Select(d => d.Device.Id));
        Assert.Equal((1, 0x76), (devices[0].Device.Bus, devices[0].Device.Address ?? devices[0].Profile.I2c!.DefaultAddress));
        Assert.Equal(2, devices[2].Device.Bus); // the BMP280 shares 0x76 with the BME280
        Assert.Equal(1, devices[5].Device.Bus);
        Assert.Equal([4, 5], devices.Where(d => d.Device.Pin is not null).Select(d => d.Device.Pin!.Value));
        Assert.Equal("28-000000000003", devices[3].Device.OneWireId);
        Assert.Same(devices[2].Chip, hardware.I2cBus(2).ChipAt(0x76));
        Assert.Same(devices[4].Chip, hardware.GpioDriver.ChipAt(5));
        Assert.Empty(new SensorsOptionsValidator(SensorRig.Catalog).Problems(new SensorsOptions { Devices = [.. devices.Select(d => d.Device)] }));
    }

    [Fact]
    public void Attach_ConfiguredAddress_WiresTheChipThere_TakenAddressThrows()
    {
        using var hardware = new EmulatedSensorHardware();
        var profile = SensorRig.Catalog.Get("sht3x");
        var device = new SensorDeviceOptions { Id = "s", Model = "sht3x", Bus = 3, Address = 0x45 };

        var chip = hardware.Attach(profile, device);

        Assert.IsType<Sht3xChip>(chip);
        Assert.Same(chip, hardware.I2cBus(3).ChipAt(0x45));
        Assert.Throws<InvalidOperationException>(() => hardware.Attach(profile, device));
    }
}
