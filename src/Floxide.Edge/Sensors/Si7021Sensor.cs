using System.Device.I2c;
using Floxide.Edge.Devices;
using Floxide.Edge.Readings;
using UnitsNet;

namespace Floxide.Edge.Sensors;

/// <summary>
/// An Si7021, or an HTU21D (same protocol). The binding sets the resolution; the measurements are read here,
/// because <see cref="Iot.Device.Si7021.Si7021"/> 4.2.0 reads two bytes only (never the CRC) and rounds to 0.1 °C.
/// </summary>
// verifyElectronicId: check the electronic id's device byte (the Si7021 has one; the HTU21D does not).
internal sealed class Si7021Sensor(DeviceProfile profile, ISensorHardware hardware, int busId, int address, bool verifyElectronicId)
    : I2cSensor(profile, hardware, busId, address)
{
    private static readonly byte[] Si70xxDeviceIds = [0x0D, 0x14, 0x15, 0x00, 0xFF];
    private Iot.Device.Si7021.Si7021? binding;

    protected override SensorReadResult Initialize(I2cDevice i2c)
    {
        binding = new Iot.Device.Si7021.Si7021(i2c, Iot.Device.Si7021.Resolution.Resolution1); // 12-bit RH, 14-bit T

        // The HTU21D has no id: the user register must read back the resolution just written (bits 7 and 0 clear).
        i2c.WriteByte(0xE7);
        Span<byte> user = stackalloc byte[1];
        i2c.Read(user);
        if (ForeignDevice(user, "the user register read 0xE7") is { } foreign)
        {
            return foreign;
        }

        if ((user[0] & 0x81) != 0)
        {
            return SensorReadResult.Failure(SensorFaultKind.WrongChip,
                $"The chip at {Where} reports user register 0x{user[0]:x2}, not the 12/14-bit resolution just written: not a {Profile.DisplayName}.");
        }

        if (!verifyElectronicId)
        {
            return SensorReadResult.Success(default);
        }

        // Electronic id, second access (datasheet §5.6): SNB_3 is the device: 0x15 Si7021, 0x14 Si7020, 0x0D Si7013.
        i2c.Write([0xFC, 0xC9]);
        Span<byte> id = stackalloc byte[6];
        i2c.Read(id);
        var crc = Crc8.SiliconLabs(id[..2]);
        if (crc != id[2])
        {
            return SensorReadResult.Failure(SensorFaultKind.ChecksumMismatch, $"The electronic id from {Where} failed its CRC.");
        }

        return id[0] == 0x15 || (id[0] is 0x00 or 0xFF)
            ? SensorReadResult.Success(default)
            : SensorReadResult.Failure(SensorFaultKind.WrongChip,
                $"The chip at {Where} reports device id 0x{id[0]:x2}, not the {Profile.DisplayName}'s 0x15{(Si70xxDeviceIds.Contains(id[0]) ? " (another Si70xx)" : "")}.");
    }

    protected override SensorReadResult Measure(I2cDevice i2c)
    {
        // No-hold commands: the chip NACKs reads until the conversion is done (RH ≤ 12 ms, T ≤ 11 ms on an Si7021,
        // up to 16 ms and 50 ms on an HTU21D), so poll for the result instead of stretching the Pi's clock.
        var humidityWord = ReadWord(i2c, 0xF5, out var problem);
        if (problem is not null)
        {
            return problem.Value;
        }

        var temperatureWord = ReadWord(i2c, 0xF3, out problem);
        if (problem is not null)
        {
            return problem.Value;
        }

        var humidity = 125.0 * (humidityWord & 0xFFFC) / 65536 - 6;
        var temperature = 175.72 * (temperatureWord & 0xFFFC) / 65536 - 46.85;
        return SensorReadResult.Success(new SensorSample(
            Temperature.FromDegreesCelsius(temperature),
            RelativeHumidity.FromPercent(Math.Clamp(humidity, 0, 100)),
            null));
    }

    protected override void Release() => binding = null;

    private int ReadWord(I2cDevice i2c, byte command, out SensorReadResult? problem)
    {
        i2c.WriteByte(command);
        Thread.Sleep(7);
        Span<byte> frame = stackalloc byte[3];
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                i2c.Read(frame);
                break;
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(5);
            }
            catch (IOException exception)
            {
                problem = SensorReadResult.Failure(SensorFaultKind.Timeout, $"The {Profile.DisplayName} at {Where} did not finish a conversion in 60 ms: {exception.Message}");
                return 0;
            }
        }

        var expected = Crc8.SiliconLabs(frame[..2]);
        if (expected != frame[2])
        {
            problem = SensorReadResult.Failure(SensorFaultKind.ChecksumMismatch,
                $"The {Profile.DisplayName} at {Where} sent {(command == 0xF5 ? "humidity" : "temperature")} 0x{frame[0]:x2}{frame[1]:x2} with CRC 0x{frame[2]:x2}, expected 0x{expected:x2}.");
            return 0;
        }

        problem = null;
        return frame[0] << 8 | frame[1];
    }
}
