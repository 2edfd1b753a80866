using System.Device.I2c;
using Floxide.Edge.Devices;
using Floxide.Edge.Readings;
using Iot.Device.Sht3x;
using UnitsNet;

namespace Floxide.Edge.Sensors;

/// <summary>
/// An SHT3x. The binding resets the chip; the measurement is read here, because <see cref="Sht3x"/> 4.2.0 keeps
/// returning the last good value when a CRC fails, measures twice to get both quantities, and rounds to 0.1.
/// </summary>
internal sealed class Sht3xSensor(DeviceProfile profile, ISensorHardware hardware, int busId, int address)
    : I2cSensor(profile, hardware, busId, address)
{
    private Sht3x? binding;

    protected override SensorReadResult Initialize(I2cDevice i2c)
    {
        binding = new Sht3x(i2c); // soft reset (0x30A2)

        // The chip has no id; its status register (datasheet §4.11) answers as only an SHT3x does: a word and its CRC.
        Thread.Sleep(2); // soft reset time, at most 1.5 ms
        i2c.Write([0xF3, 0x2D]);
        Span<byte> status = stackalloc byte[3];
        i2c.Read(status);
        if (ForeignDevice(status, "the status command 0xF32D") is { } foreign)
        {
            return foreign;
        }

        return SensirionWords.CheckFrame(status, Crc8.Sensirion) is { } problem
            ? SensorReadResult.Failure(SensorFaultKind.ChecksumMismatch, $"The {Profile.DisplayName} at {Where} sent a status {problem}.")
            : SensorReadResult.Success(default);
    }

    protected override SensorReadResult Measure(I2cDevice i2c)
    {
        // Single shot, high repeatability, no clock stretching (0x2400); datasheet §4.3: at most 15.5 ms.
        i2c.Write([0x24, 0x00]);
        Thread.Sleep(16);
        Span<byte> frame = stackalloc byte[6];
        i2c.Read(frame);
        if (SensirionWords.CheckFrame(frame, Crc8.Sensirion) is { } problem)
        {
            return SensorReadResult.Failure(SensorFaultKind.ChecksumMismatch, $"The {Profile.DisplayName} at {Where} sent {problem}.");
        }

        var rawTemperature = frame[0] << 8 | frame[1];
        var rawHumidity = frame[3] << 8 | frame[4];
        return SensorReadResult.Success(new SensorSample(
            Temperature.FromDegreesCelsius(-45 + 175.0 * rawTemperature / 65535),
            RelativeHumidity.FromPercent(Math.Clamp(100.0 * rawHumidity / 65535, 0, 100)),
            null));
    }

    protected override void Release() => binding = null;
}
