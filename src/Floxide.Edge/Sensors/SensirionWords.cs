namespace Floxide.Edge.Sensors;

/// <summary>Checks frames of 16-bit words each followed by a CRC-8, as Sensirion chips (and the Si70xx) send them.</summary>
internal static class SensirionWords
{
    /// <summary>Describes the first word whose CRC fails, or returns null when all match.</summary>
    public static string? CheckFrame(ReadOnlySpan<byte> frame, Crc crc)
    {
        for (var i = 0; i + 2 < frame.Length; i += 3)
        {
            var expected = crc(frame.Slice(i, 2));
            if (expected != frame[i + 2])
            {
                return $"word {i / 3} 0x{frame[i]:x2}{frame[i + 1]:x2} with CRC 0x{frame[i + 2]:x2}, expected 0x{expected:x2}";
            }
        }

        return null;
    }

    public delegate byte Crc(ReadOnlySpan<byte> data);
}
