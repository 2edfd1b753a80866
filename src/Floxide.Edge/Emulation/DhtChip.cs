namespace Floxide.Edge.Emulation;

/// <summary>
/// An Aosong DHT22/AM2302 or DHT11 on a GPIO pin of an <see cref="EmulatedGpioDriver"/>: after a start signal it sends
/// the 40-bit frame (humidity, temperature, checksum) with the datasheet's bit timing.
/// </summary>
/// <param name="dht11"><see langword="true"/> for a DHT11 (integer and tenths bytes, no sign).</param>
public sealed class DhtChip(bool dht11 = false) : EmulatedChip
{
    /// <inheritdoc/>
    public override string Model => dht11 ? "dht11" : "dht22";

    /// <summary>Encodes the frame the chip sends now, faults applied.</summary>
    /// <returns>The five bytes.</returns>
    public byte[] EncodeFrame()
    {
        var conditions = Convert();
        var frame = new byte[5];
        if (dht11)
        {
            var humidity = Math.Clamp(Math.Round(conditions.Humidity.Percent, 1), 0, 99.9);
            var temperature = Math.Clamp(Math.Round(conditions.Temperature.DegreesCelsius, 1), 0, 99.9);
            frame[0] = (byte)Math.Floor(humidity);
            frame[1] = (byte)Math.Round((humidity - frame[0]) * 10);
            frame[2] = (byte)Math.Floor(temperature);
            frame[3] = (byte)Math.Round((temperature - frame[2]) * 10);
        }
        else
        {
            // Datasheet: humidity and temperature in tenths, 16 bits each; the temperature's top bit is its sign.
            var humidity = (int)Math.Clamp(Math.Round(conditions.Humidity.Percent * 10), 0, 1000);
            var temperature = (int)Math.Clamp(Math.Round(conditions.Temperature.DegreesCelsius * 10), -400, 800);
            var magnitude = Math.Abs(temperature);
            frame[0] = (byte)(humidity >> 8);
            frame[1] = (byte)humidity;
            frame[2] = (byte)((magnitude >> 8) | (temperature < 0 ? 0x80 : 0));
            frame[3] = (byte)magnitude;
        }

        frame[4] = (byte)(frame[0] + frame[1] + frame[2] + frame[3]);
        if (Faults.CorruptChecksum)
        {
            frame[4] ^= 0x5A;
        }

        return frame;
    }
}
