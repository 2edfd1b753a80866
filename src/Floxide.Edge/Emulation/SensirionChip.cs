using Floxide.Edge.Sensors;

namespace Floxide.Edge.Emulation;

/// <summary>Shared by the Sensirion emulators: a measurement result frame with a CRC-8 after each word.</summary>
public abstract class SensirionChip : EmulatedI2cChip
{
    private readonly Lock gate = new();
    private byte[]? pending;

    /// <summary>Queues the bytes the next read returns.</summary>
    /// <param name="frame">The frame.</param>
    protected void Queue(byte[] frame)
    {
        lock (gate)
        {
            pending = frame;
        }
    }

    /// <summary>Builds a frame of 16-bit words, each followed by its CRC (corrupted under <see cref="ChipFaults.CorruptChecksum"/>).</summary>
    /// <param name="words">The words.</param>
    /// <returns>The frame.</returns>
    protected byte[] Frame(params ushort[] words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var frame = new byte[words.Length * 3];
        for (var i = 0; i < words.Length; i++)
        {
            frame[3 * i] = (byte)(words[i] >> 8);
            frame[3 * i + 1] = (byte)words[i];
            frame[3 * i + 2] = Crc8.Sensirion(frame.AsSpan(3 * i, 2));
            if (Faults.CorruptChecksum)
            {
                frame[3 * i + 2] ^= 0x5A;
            }
        }

        return frame;
    }

    /// <inheritdoc/>
    public override void OnRead(Span<byte> buffer)
    {
        byte[] frame;
        lock (gate)
        {
            // With no result pending the chip NACKs its address on a read (datasheet: "no measurement data present").
            frame = pending ?? throw NotAcknowledged("read with no result pending");
            pending = null;
        }

        buffer.Clear();
        frame.AsSpan(0, Math.Min(frame.Length, buffer.Length)).CopyTo(buffer);
    }

    /// <summary>The raw 16-bit word for a temperature: T = −45 + 175 · raw / 65535.</summary>
    /// <param name="celsius">The temperature.</param>
    /// <returns>The raw word.</returns>
    protected static ushort RawTemperature(double celsius) => Raw((celsius + 45) / 175);

    /// <summary>The raw 16-bit word for a fraction 0…1 of full scale.</summary>
    /// <param name="fraction">The fraction.</param>
    /// <returns>The raw word.</returns>
    protected static ushort Raw(double fraction) => (ushort)Math.Clamp(Math.Round(fraction * 65535), 0, 65535);
}

/// <summary>A Sensirion SHT3x (SHT30/31/35): soft reset, heater, single-shot measurement, status register.</summary>
public sealed class Sht3xChip : SensirionChip
{
    /// <inheritdoc/>
    public override string Model => "sht3x";

    /// <inheritdoc/>
    public override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2)
        {
            throw NotAcknowledged($"incomplete command {System.Convert.ToHexString(data)}");
        }

        var command = (ushort)(data[0] << 8 | data[1]);
        switch (command)
        {
            case 0x30A2 or 0x306D or 0x3066:
                return; // soft reset, heater on, heater off
            case 0xF32D:
                Queue(Frame(0x0000));
                return;
            case 0x2400 or 0x240B or 0x2416 or 0x2C06 or 0x2C0D or 0x2C10:
                var conditions = Convert();
                Queue(Frame(RawTemperature(conditions.Temperature.DegreesCelsius), Raw(conditions.Humidity.Percent / 100)));
                return;
            default:
                throw NotAcknowledged($"unknown command 0x{command:X4}");
        }
    }
}

/// <summary>A Sensirion SHT4x (SHT40/41/45): soft reset, three repeatabilities, serial number.</summary>
/// <param name="serialNumber">The serial number the chip reports.</param>
public sealed class Sht4xChip(uint serialNumber = 0x0F1E2D3C) : SensirionChip
{
    /// <inheritdoc/>
    public override string Model => "sht4x";

    /// <inheritdoc/>
    public override void OnWrite(ReadOnlySpan<byte> data)
    {
        switch (data[0])
        {
            case 0x94:
                return; // soft reset
            case 0x89:
                Queue(Frame((ushort)(serialNumber >> 16), (ushort)serialNumber));
                return;
            case 0xFD or 0xF6 or 0xE0:
                var conditions = Convert();
                // RH = −6 + 125 · raw / 65535 (datasheet §4.6).
                Queue(Frame(RawTemperature(conditions.Temperature.DegreesCelsius), Raw((conditions.Humidity.Percent + 6) / 125)));
                return;
            default:
                throw NotAcknowledged($"unknown command 0x{data[0]:X2}");
        }
    }
}
