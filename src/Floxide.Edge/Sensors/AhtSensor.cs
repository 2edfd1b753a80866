using System.Device.I2c;
using Floxide.Edge.Devices;
using Floxide.Edge.Readings;
using Iot.Device.Ahtxx;
using UnitsNet;

namespace Floxide.Edge.Sensors;

/// <summary>
/// An AHT20 or AHT10. The binding resets and calibrates the chip; the measurement is read here, because
/// <see cref="Aht20"/> 4.2.0 waits forever while the busy bit stays set and never checks the AHT20's CRC byte.
/// </summary>
internal sealed class AhtSensor(DeviceProfile profile, ISensorHardware hardware, int busId, int address)
    : I2cSensor(profile, hardware, busId, address)
{
    private const int BusyPolls = 10;
    private AhtBase? binding;

    private bool HasCrc => Profile.Driver == DeviceDrivers.Aht20;

    protected override SensorReadResult Initialize(I2cDevice i2c)
    {
        binding = HasCrc ? new Aht20(i2c) : new Aht10(i2c);

        // The chip has no id; after the binding's reset and calibration, a read returns its status byte, which is
        // never all ones on an idle AHT (busy and every reserved bit set).
        Span<byte> status = stackalloc byte[1];
        i2c.Read(status);
        return ForeignDevice(status, "a status read") ?? SensorReadResult.Success(default);
    }

    protected override SensorReadResult Measure(I2cDevice i2c)
    {
        // Trigger (datasheet §5.4), then wait the typical 80 ms conversion before looking at the busy bit.
        i2c.Write([0xAC, 0x33, 0x00]);
        Thread.Sleep(80);
        Span<byte> frame = stackalloc byte[HasCrc ? 7 : 6];
        for (var poll = 0; ; poll++)
        {
            i2c.Read(frame);
            if ((frame[0] & 0x80) == 0)
            {
                break;
            }

            if (poll == BusyPolls)
            {
                return SensorReadResult.Failure(SensorFaultKind.Timeout,
                    $"The {Profile.DisplayName} at {Where} stayed busy {80 + BusyPolls * 10} ms after a trigger.");
            }

            Thread.Sleep(10);
        }

        if (HasCrc)
        {
            var expected = Crc8.Sensirion(frame[..6]);
            if (expected != frame[6])
            {
                return SensorReadResult.Failure(SensorFaultKind.ChecksumMismatch,
                    $"The {Profile.DisplayName} at {Where} sent a frame with CRC 0x{frame[6]:x2}, expected 0x{expected:x2}.");
            }
        }

        if ((frame[0] & 0x08) == 0)
        {
            return SensorReadResult.Failure(SensorFaultKind.NoData, $"The {Profile.DisplayName} at {Where} reports it is not calibrated.");
        }

        var rawHumidity = frame[1] << 12 | frame[2] << 4 | frame[3] >> 4;
        var rawTemperature = (frame[3] & 0x0F) << 16 | frame[4] << 8 | frame[5];
        return SensorReadResult.Success(new SensorSample(
            Temperature.FromDegreesCelsius(rawTemperature * 200.0 / (1 << 20) - 50),
            RelativeHumidity.FromPercent(rawHumidity * 100.0 / (1 << 20)),
            null));
    }

    protected override void Release() => binding = null;
}
