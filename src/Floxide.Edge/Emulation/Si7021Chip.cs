using Floxide.Edge.Sensors;

namespace Floxide.Edge.Emulation;

/// <summary>
/// A Silicon Labs Si7021, or a TE HTU21D (the same protocol, without the electronic id and the firmware revision):
/// user register, hold and no-hold measurements with a CRC-8 byte, temperature from the previous humidity
/// measurement, electronic id.
/// </summary>
/// <param name="htu21d"><see langword="true"/> for an HTU21D.</param>
public sealed class Si7021Chip(bool htu21d = false) : EmulatedI2cChip
{
    private readonly Lock gate = new();
    private byte userRegister = 0x3A;
    private byte[]? pending;
    private double lastHumidityTemperature = double.NaN;

    /// <inheritdoc/>
    public override string Model => htu21d ? "htu21d" : "si7021";

    /// <inheritdoc/>
    /// <remarks>The Si7021 has an electronic id; the HTU21D has none.</remarks>
    protected override bool ReportsChipId => !htu21d;

    /// <summary>The device id byte SNB_3 of the electronic id: 0x15 for an Si7021; another under <see cref="ChipFaults.WrongChipId"/>.</summary>
    public byte DeviceId => Faults.WrongChipId ? (byte)0x14 : (byte)0x15;

    /// <inheritdoc/>
    public override void OnWrite(ReadOnlySpan<byte> data)
    {
        lock (gate)
        {
            pending = null;
            switch (data[0])
            {
                case 0xFE:
                    userRegister = 0x3A;
                    return;
                case 0xE7:
                    pending = [userRegister];
                    return;
                case 0xE6 when data.Length == 2:
                    userRegister = data[1];
                    return;
                case 0xE5 or 0xF5:
                    var conditions = Convert();
                    lastHumidityTemperature = conditions.Temperature.DegreesCelsius;
                    // RH = 125 · raw / 65536 − 6 (datasheet §5.1.1); the two low bits are status bits, 10 for humidity.
                    pending = Word((ushort)((Raw((conditions.Humidity.Percent + 6) / 125) & 0xFFFC) | 0x02));
                    return;
                case 0xE3 or 0xF3:
                    pending = Word(RawTemperature(Convert().Temperature.DegreesCelsius));
                    return;
                case 0xE0 when !htu21d && !double.IsNaN(lastHumidityTemperature):
                    var word = RawTemperature(lastHumidityTemperature);
                    pending = [(byte)(word >> 8), (byte)word]; // no checksum on this command
                    return;
                case 0x84 when !htu21d && data.Length == 2 && data[1] == 0xB8:
                    pending = [0x20];
                    return;
                case 0xFA when !htu21d && data.Length == 2 && data[1] == 0x0F:
                    pending = IdFrame(0x12345678);
                    return;
                case 0xFC when !htu21d && data.Length == 2 && data[1] == 0xC9:
                    pending = IdFrame((uint)(DeviceId << 24 | 0xFF << 16 | 0xB5FF));
                    return;
                default:
                    throw NotAcknowledged($"unknown command {System.Convert.ToHexString(data)}");
            }
        }
    }

    /// <inheritdoc/>
    public override void OnRead(Span<byte> buffer)
    {
        lock (gate)
        {
            var frame = pending ?? throw NotAcknowledged("read with no result pending");
            buffer.Clear();
            frame.AsSpan(0, Math.Min(frame.Length, buffer.Length)).CopyTo(buffer);
        }
    }

    private byte[] Word(ushort value)
    {
        byte[] frame = [(byte)(value >> 8), (byte)value, 0];
        frame[2] = Crc8.SiliconLabs(frame.AsSpan(0, 2));
        if (Faults.CorruptChecksum)
        {
            frame[2] ^= 0x5A;
        }

        return frame;
    }

    // Electronic id reads return two 16-bit halves, each followed by a CRC over the bytes so far.
    private static byte[] IdFrame(uint value)
    {
        byte[] frame = [(byte)(value >> 24), (byte)(value >> 16), 0, (byte)(value >> 8), (byte)value, 0];
        frame[2] = Crc8.SiliconLabs(frame.AsSpan(0, 2));
        frame[5] = Crc8.SiliconLabs([frame[0], frame[1], frame[3], frame[4]]);
        return frame;
    }

    // T = 175.72 · raw / 65536 − 46.85 (datasheet §5.1.2).
    private static ushort RawTemperature(double celsius) =>
        (ushort)((ushort)Math.Clamp(Math.Round((celsius + 46.85) / 175.72 * 65536), 0, 65535) & 0xFFFC);

    private static ushort Raw(double fraction) => (ushort)Math.Clamp(Math.Round(fraction * 65536), 0, 65535);
}
