namespace Floxide.Edge.Sensors;

/// <summary>The CRC-8 variants the supported chips use: the drivers check them, the emulators compute them.</summary>
public static class Crc8
{
    /// <summary>Sensirion and Aosong: polynomial 0x31 (x⁸+x⁵+x⁴+1), initial value 0xFF, no final XOR.</summary>
    /// <param name="data">The bytes covered.</param>
    /// <returns>The CRC.</returns>
    public static byte Sensirion(ReadOnlySpan<byte> data) => Compute(data, 0xFF);

    /// <summary>Silicon Labs Si70xx and TE HTU21D: polynomial 0x31, initial value 0x00.</summary>
    /// <param name="data">The bytes covered.</param>
    /// <returns>The CRC.</returns>
    public static byte SiliconLabs(ReadOnlySpan<byte> data) => Compute(data, 0x00);

    /// <summary>Maxim 1-Wire (DS18B20 scratchpad and ROM): polynomial x⁸+x⁵+x⁴+1 reflected (0x8C), initial value 0.</summary>
    /// <param name="data">The bytes covered.</param>
    /// <returns>The CRC.</returns>
    public static byte Maxim(ReadOnlySpan<byte> data)
    {
        byte crc = 0;
        foreach (var value in data)
        {
            var b = value;
            for (var bit = 0; bit < 8; bit++)
            {
                var mix = (byte)((crc ^ b) & 0x01);
                crc >>= 1;
                if (mix != 0)
                {
                    crc ^= 0x8C;
                }

                b >>= 1;
            }
        }

        return crc;
    }

    private static byte Compute(ReadOnlySpan<byte> data, byte initial)
    {
        var crc = initial;
        foreach (var value in data)
        {
            crc ^= value;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (byte)((crc & 0x80) != 0 ? (crc << 1) ^ 0x31 : crc << 1);
            }
        }

        return crc;
    }
}
