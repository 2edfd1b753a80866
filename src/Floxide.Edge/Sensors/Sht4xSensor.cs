using System.Device.I2c;
using Floxide.Edge.Devices;
using Floxide.Edge.Readings;
using Iot.Device.Sht4x;

namespace Floxide.Edge.Sensors;

/// <summary>An SHT4x through <see cref="Sht4x.ReadHumidityAndTemperature"/>, which checks each word's CRC and returns null for a bad one.</summary>
internal sealed class Sht4xSensor(DeviceProfile profile, ISensorHardware hardware, int busId, int address)
    : I2cSensor(profile, hardware, busId, address)
{
    private Sht4x? binding;

    protected override SensorReadResult Initialize(I2cDevice i2c)
    {
        binding = new Sht4x(i2c); // soft reset (0x94)

        // The chip has no id register; its serial number (command 0x89) comes as two words, each with its CRC.
        i2c.WriteByte(0x89);
        Thread.Sleep(1);
        Span<byte> serial = stackalloc byte[6];
        i2c.Read(serial);
        if (ForeignDevice(serial, "the serial number command 0x89") is { } foreign)
        {
            return foreign;
        }

        return SensirionWords.CheckFrame(serial, Crc8.Sensirion) is { } problem
            ? SensorReadResult.Failure(SensorFaultKind.ChecksumMismatch, $"The {Profile.DisplayName} at {Where} sent a serial number {problem}.")
            : SensorReadResult.Success(default);
    }

    protected override SensorReadResult Measure(I2cDevice i2c)
    {
        var (humidity, temperature) = binding!.ReadHumidityAndTemperature(Sht4xRepeatability.High);
        if (humidity is null || temperature is null)
        {
            return SensorReadResult.Failure(SensorFaultKind.ChecksumMismatch,
                $"The {Profile.DisplayName} at {Where} sent a {(temperature is null ? "temperature" : "humidity")} word whose CRC does not match.");
        }

        return SensorReadResult.Success(new SensorSample(temperature, humidity, null));
    }

    protected override void Release() => binding = null;
}
