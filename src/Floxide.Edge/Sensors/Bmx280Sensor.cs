using System.Device.I2c;
using Floxide.Edge.Devices;
using Floxide.Edge.Readings;
using Iot.Device.Bmxx80;

namespace Floxide.Edge.Sensors;

/// <summary>A BME280 or BMP280 through <see cref="Bme280"/> / <see cref="Bmp280"/>, one forced conversion per read.</summary>
internal sealed class Bmx280Sensor(DeviceProfile profile, ISensorHardware hardware, int busId, int address)
    : I2cSensor(profile, hardware, busId, address)
{
    private Bmx280Base? binding;

    private bool WithHumidity => Profile.Driver == DeviceDrivers.Bme280;

    protected override SensorReadResult Initialize(I2cDevice i2c)
    {
        // The binding's constructor throws a bare IOException for a wrong id; read it first so that a BMP280 fitted
        // in place of a BME280 is a WrongChip fault that says so, not a bus error.
        var expected = Profile.I2c?.ChipId ?? new ChipIdRegister(0xD0, WithHumidity ? (byte)0x60 : (byte)0x58);
        i2c.WriteByte(expected.Register);
        var found = i2c.ReadByte();
        if (found != expected.Value)
        {
            return SensorReadResult.Failure(SensorFaultKind.WrongChip,
                $"The chip at {Where} has id 0x{found:x2}, not the {Profile.DisplayName}'s 0x{expected.Value:x2}{Hint(found)}.");
        }

        binding = WithHumidity ? new Bme280(i2c) : new Bmp280(i2c);
        return SensorReadResult.Success(default);
    }

    protected override SensorReadResult Measure(I2cDevice i2c)
    {
        // Read() sets forced mode and waits the conversion time; bus errors surface as IOException.
        Iot.Device.Bmxx80.ReadResult.Bmp280ReadResult result = binding switch
        {
            Bme280 bme280 => bme280.Read(),
            Bmp280 bmp280 => bmp280.Read(),
            _ => throw new InvalidOperationException("The sensor is not initialised."),
        };
        var humidity = (result as Iot.Device.Bmxx80.ReadResult.Bme280ReadResult)?.Humidity;
        if (result.Temperature is null || result.Pressure is null || (WithHumidity && humidity is null))
        {
            return SensorReadResult.Failure(SensorFaultKind.NoData, $"The {Profile.DisplayName} at {Where} skipped a measurement (oversampling off).");
        }

        return SensorReadResult.Success(new SensorSample(result.Temperature, WithHumidity ? humidity : null, result.Pressure));
    }

    protected override void Release() => binding = null;

    private static string Hint(byte id) => id switch
    {
        0x60 => " (a BME280: use the bme280 profile)",
        0x58 or 0x56 or 0x57 => " (a BMP280: use the bmp280 profile)",
        0x55 => " (a BMP180)",
        0x61 => " (a BME680)",
        _ => "",
    };
}
