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

    [Fact]
    public void Scan_Sht3xWithBadCrc_NoMatch_AndSaysWhy()
    {
        using var hardware = new EmulatedSensorHardware();
        hardware.I2cBus(1).Attach(0x44, new Sht3xChip()).Faults.CorruptChecksum = true;

        var result = Assert.Single(new I2cBusScanner(SensorRig.Catalog, hardware).Scan(1));

        Assert.Empty(result.Matches);
        Assert.Contains("answers the SHT3x status command with word 0", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_Cancelled_Throws()
    {
        using var hardware = new EmulatedSensorHardware();
        hardware.I2cBus(1).Attach(0x76, new Bmx280Chip());

        Assert.Throws<OperationCanceledException>(() => new I2cBusScanner(SensorRig.Catalog, hardware).Scan(1, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Sweep_EveryAddressFrom0x03To0x77_ReportsThoseThatAcknowledgeARead()
    {
        using var hardware = new EmulatedSensorHardware();
        var bus = hardware.I2cBus(1);
        bus.Attach(0x03, new AhtChip());
        bus.Attach(0x38, new AhtChip());
        bus.Attach(0x76, new Bmx280Chip());
        bus.Attach(0x77, new Bmx280Chip(withHumidity: false));
        // These NACK a read with no result pending, as their datasheets say: only Scan finds them.
        bus.Attach(0x40, new Si7021Chip());
        bus.Attach(0x44, new Sht3xChip());
        hardware.I2cBus(2).Attach(0x45, new Sht4xChip());
        var before = bus.Transfers;

        var found = new I2cBusScanner(SensorRig.Catalog, hardware).Sweep(1);

        Assert.Equal([0x03, 0x38, 0x76, 0x77], found);
        Assert.Equal(I2cBusScanner.LastAddress - I2cBusScanner.FirstAddress + 1, bus.Transfers - before);
    }

    [Fact]
    public void Sweep_AbsentChip_IsNotReported()
    {
        using var hardware = new EmulatedSensorHardware();
        hardware.I2cBus(1).Attach(0x76, new Bmx280Chip()).Faults.Absent = true;

        Assert.Empty(new I2cBusScanner(SensorRig.Catalog, hardware).Sweep(1));
    }

    [Fact]
    public void Sweep_Cancelled_Throws()
    {
        using var hardware = new EmulatedSensorHardware();

        Assert.Throws<OperationCanceledException>(() => new I2cBusScanner(SensorRig.Catalog, hardware).Sweep(1, new CancellationToken(canceled: true)));
    }
}
