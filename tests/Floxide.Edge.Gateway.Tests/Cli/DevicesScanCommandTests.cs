using Floxide.Edge.Devices;
using Floxide.Edge.Emulation;
using Floxide.Edge.Gateway.Cli;

namespace Floxide.Edge.Gateway.Tests.Cli;

/// <summary><c>devices scan</c> over an emulated bus: the real scanner and chip probes, only the bus itself emulated.</summary>
public sealed class DevicesScanCommandTests : IDisposable
{
    private static readonly DeviceCatalog Catalog = DeviceCatalog.LoadEmbedded();
    private readonly DirectoryInfo devices = Directory.CreateTempSubdirectory("floxide-dev-");
    private readonly EmulatedSensorHardware hardware = new();
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    [Fact]
    public void Run_EmulatedBus_PrintsTheGridAndWhatEachAddressIs()
    {
        File.WriteAllBytes(Path.Combine(devices.FullName, "i2c-1"), []);
        var bus = hardware.I2cBus(1);
        bus.Attach(0x76, new Bmx280Chip());
        bus.Attach(0x03, new AhtChip());
        // An SHT3x refuses a plain read (no result pending): only its profile's probe finds it.
        bus.Attach(0x44, new Sht3xChip());

        var exitCode = DevicesScanCommand.Run(output, error, devices.FullName, Catalog, hardware, 1, CancellationToken.None);

        var report = output.ToString();
        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.StartsWith("I²C bus 1: 3 device(s)\n", report, StringComparison.Ordinal);
        Assert.Contains("00:          03 -- --", report, StringComparison.Ordinal);
        Assert.Contains("40: -- -- -- -- 44 --", report, StringComparison.Ordinal);
        Assert.Contains("70: -- -- -- -- -- -- 76 --", report, StringComparison.Ordinal);
        Assert.Contains("0x03: answers, but no profile uses this address\n", report, StringComparison.Ordinal);
        Assert.Contains("0x44: sht3x (answers the SHT3x status command", report, StringComparison.Ordinal);
        Assert.Contains("0x76: bme280 (chip id 0x60 at register 0xd0)\n", report, StringComparison.Ordinal);
        Assert.Empty(error.ToString());
    }

    [Fact]
    public void Run_ChipFailingItsProbe_SaysWhyAndWhatTheAddressCouldBe()
    {
        File.WriteAllBytes(Path.Combine(devices.FullName, "i2c-1"), []);
        hardware.I2cBus(1).Attach(0x44, new Sht3xChip()).Faults.CorruptChecksum = true;

        DevicesScanCommand.Run(output, error, devices.FullName, Catalog, hardware, 1, CancellationToken.None);

        Assert.Contains("I²C bus 1: 0 device(s)\n", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("0x44: no profile's probe matched (answers the SHT3x status command with word 0", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("by address it could be sht3x", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoSuchBus_ExitsUnavailableWithHowToEnableI2c()
    {
        hardware.I2cBus(3).Attach(0x76, new Bmx280Chip());

        var exitCode = DevicesScanCommand.Run(output, error, devices.FullName, Catalog, hardware, 3, CancellationToken.None);

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Contains($"there is no I²C bus {Path.Combine(devices.FullName, "i2c-3")}", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("raspi-config nonint do_i2c 0", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    public void Dispose()
    {
        hardware.Dispose();
        devices.Delete(recursive: true);
    }
}
