using Floxide.Edge.Emulation;
using Floxide.Edge.Sensors;
using Floxide.Edge.Tests.Support;

namespace Floxide.Edge.Tests.Sensors;

public sealed class I2cBusScannerTests
{
    [Fact]
    public void Scan_EmulatedBus_ReportsWhatAnswersWithTheMatchingProfiles()
    {
        using var hardware = new EmulatedSensorHardware();
        var bus = hardware.I2cBus(1);
        bus.Attach(0x76, new Bmx280Chip());
        bus.Attach(0x77, new Bmx280Chip(withHumidity: false));
        bus.Attach(0x44, new Sht3xChip());
        bus.Attach(0x45, new Sht4xChip());
        bus.Attach(0x38, new AhtChip());
        bus.Attach(0x40, new Si7021Chip());

        var results = new I2cBusScanner(SensorRig.Catalog, hardware).Scan(1).ToDictionary(r => r.Address);

        Assert.Equal([0x38, 0x40, 0x44, 0x45, 0x76, 0x77], results.Keys);
        Assert.Equal(["bme280"], results[0x76].Matches.Select(p => p.Model));
        Assert.Equal(["bmp280"], results[0x77].Matches.Select(p => p.Model));
        Assert.Contains("chip id 0x58", results[0x77].Detail, StringComparison.Ordinal);
        Assert.Equal(["sht3x"], results[0x44].Matches.Select(p => p.Model));
        Assert.Equal(["sht4x"], results[0x45].Matches.Select(p => p.Model));
        Assert.Equal(["aht10", "aht20"], results[0x38].Matches.Select(p => p.Model));
        Assert.Equal(["htu21d", "si7021"], results[0x40].Matches.Select(p => p.Model));
    }

    [Fact]
    public void Scan_EmptyBus_ReportsNothing()
    {
        using var hardware = new EmulatedSensorHardware();

        Assert.Empty(new I2cBusScanner(SensorRig.Catalog, hardware).Scan(1));
    }
}
