using System.Device.I2c;
using Floxide.Edge.Gateway.Cli;

namespace Floxide.Edge.Gateway.Tests.Cli;

public sealed class I2cBusScannerTests
{
    [Fact]
    public void Scan_DevicesAt0x44And0x76_FindsExactlyThose()
    {
        var opened = new List<int>();
        var scanner = new I2cBusScanner(settings =>
        {
            opened.Add(settings.DeviceAddress);
            return new AnsweringDevice(settings, answers: settings.DeviceAddress is 0x44 or 0x76);
        });

        var found = scanner.Scan(busId: 1);

        Assert.Equal([0x44, 0x76], found);
        Assert.Equal(I2cBusScanner.FirstAddress, opened[0]);
        Assert.Equal(I2cBusScanner.LastAddress, opened[^1]);
        Assert.Equal(0x77 - 0x03 + 1, opened.Count);
    }

    [Fact]
    public void Format_FoundAddresses_GridAndProfileMatches()
    {
        DeviceProfileSummary[] profiles =
        [
            new("bme280", "i2c", [0x76, 0x77], ["temperature", "humidity", "pressure"], TimeSpan.FromSeconds(5), null),
            new("bmp280", "i2c", [0x76, 0x77], ["temperature", "pressure"], TimeSpan.FromSeconds(5), null),
            new("sht31", "i2c", [0x44, 0x45], ["temperature", "humidity"], TimeSpan.FromSeconds(2), null),
        ];

        var report = ScanReport.Format(1, [0x44, 0x76, 0x20], profiles);

        Assert.Contains("70: -- -- -- -- -- -- 76 --", report, StringComparison.Ordinal);
        Assert.Contains("40: -- -- -- -- 44 --", report, StringComparison.Ordinal);
        Assert.Contains("0x76: could be bme280 or bmp280\n", report, StringComparison.Ordinal);
        Assert.Contains("0x44: could be sht31\n", report, StringComparison.Ordinal);
        Assert.Contains("0x20: no matching profile\n", report, StringComparison.Ordinal);
    }

    /// <summary>The lowest hardware boundary: a bus address that acknowledges a read or not.</summary>
    private sealed class AnsweringDevice(I2cConnectionSettings settings, bool answers) : I2cDevice
    {
        public override I2cConnectionSettings ConnectionSettings => settings;

        public override byte ReadByte() => answers ? (byte)0x60 : throw new IOException("Error 6 performing I2C data transfer.");

        public override void Read(Span<byte> buffer) => throw new NotSupportedException();

        public override void WriteByte(byte value) => throw new NotSupportedException();

        public override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException();

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => throw new NotSupportedException();
    }
}
