using Floxide.Edge.Sensors;

namespace Floxide.Edge.Emulation;

/// <summary>
/// An Aosong AHT20 (status, calibration, 7-byte frame with CRC) or AHT10 (init 0xE1, 6-byte frame, no CRC). A
/// triggered measurement keeps the busy bit set for <see cref="BusyReads"/> status reads.
/// </summary>
/// <param name="aht10"><see langword="true"/> for an AHT10.</param>
public sealed class AhtChip(bool aht10 = false) : EmulatedI2cChip
{
    private const byte BusyBit = 0x80;
    private const byte CalibratedBit = 0x08;
    private readonly Lock gate = new();
    private bool calibrated = true; // set at power-on from the chip's OTP
    private int busyLeft;
    private byte[] sample = new byte[6];

    /// <inheritdoc/>
    public override string Model => aht10 ? "aht10" : "aht20";

    /// <summary>How many reads after a trigger still see the busy bit; <see cref="int.MaxValue"/> for a chip that never finishes.</summary>
    /// <value>The default is 0: the conversion is done by the time a driver looks.</value>
    public int BusyReads { get; set; }

    /// <inheritdoc/>
    public override void OnWrite(ReadOnlySpan<byte> data)
    {
        lock (gate)
        {
            switch (data[0])
            {
                case 0xBA:
                    // soft reset: keeps the calibration, as the OTP-trimmed chip does
                    return;
                case 0x71:
                    return; // status: the next read returns it
                case 0xBE or 0xE1 when data.Length == 3:
                    calibrated = data[0] == (aht10 ? 0xE1 : 0xBE);
                    return;
                case 0xAC when data.Length == 3 && data[1] == 0x33:
                    Measure();
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
            var status = (byte)((calibrated ? CalibratedBit : 0) | (busyLeft > 0 ? BusyBit : 0));
            if (busyLeft is > 0 and < int.MaxValue)
            {
                busyLeft--;
            }

            buffer.Clear();
            buffer[0] = status;
            var frame = new byte[7];
            frame[0] = status;
            sample.CopyTo(frame, 1);
            frame[6] = Crc8.Sensirion(frame.AsSpan(0, 6));
            if (Faults.CorruptChecksum)
            {
                frame[6] ^= 0x5A;
            }

            var length = aht10 ? 6 : 7;
            frame.AsSpan(1, Math.Min(length, buffer.Length) - 1).CopyTo(buffer[1..]);
        }
    }

    private void Measure()
    {
        var conditions = Convert();
        busyLeft = BusyReads;
        // Datasheet §6.1: RH = raw / 2²⁰ · 100 %, T = raw / 2²⁰ · 200 − 50 °C.
        var humidity = (int)Math.Clamp(Math.Round(conditions.Humidity.Percent / 100 * (1 << 20)), 0, (1 << 20) - 1);
        var temperature = (int)Math.Clamp(Math.Round((conditions.Temperature.DegreesCelsius + 50) / 200 * (1 << 20)), 0, (1 << 20) - 1);
        sample =
        [
            (byte)(humidity >> 12),
            (byte)(humidity >> 4),
            (byte)(((humidity & 0x0F) << 4) | (temperature >> 16)),
            (byte)(temperature >> 8),
            (byte)temperature,
        ];
    }
}
