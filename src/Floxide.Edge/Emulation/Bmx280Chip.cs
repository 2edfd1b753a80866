namespace Floxide.Edge.Emulation;

/// <summary>
/// A Bosch BME280 or BMP280 at register level: chip id, the calibration block (the datasheet's example trimming),
/// soft reset, ctrl registers, forced and normal mode. A conversion computes raw ADC values from the conditions by
/// inverting the datasheet's compensation, so a driver reads the conditions back within the datasheet's rounding.
/// </summary>
/// <remarks>
/// The chip sends no checksum on the bus, so no driver can notice corruption: <see cref="ChipFaults.CorruptChecksum"/>
/// does not apply.
/// </remarks>
public sealed class Bmx280Chip : EmulatedI2cChip
{
    private const byte ChipIdRegister = 0xD0;
    private const byte ResetRegister = 0xE0;
    private const byte CtrlHumidity = 0xF2;
    private const byte CtrlMeasurement = 0xF4;
    private const byte Config = 0xF5;

    // Bosch datasheet example trimming (BMP280 §3.12) and a plausible humidity set.
    private const ushort T1 = 27504;
    private const short T2 = 26435, T3 = -1000;
    private const ushort P1 = 36477;
    private const short P2 = -10685, P3 = 3024, P4 = 2855, P5 = 140, P6 = -7, P7 = 15500, P8 = -14600, P9 = 6000;
    private const byte H1 = 75;
    private const short H2 = 362;
    private const byte H3 = 0;
    private const short H4 = 324, H5 = 50;
    private const sbyte H6 = 30;

    private readonly Lock gate = new();
    private readonly byte[] registers = new byte[256];
    private readonly bool hasHumidity;
    private int pointer;

    /// <summary>Creates a BME280 (with humidity) or a BMP280.</summary>
    /// <param name="withHumidity"><see langword="true"/> for a BME280, <see langword="false"/> for a BMP280.</param>
    public Bmx280Chip(bool withHumidity = true)
    {
        hasHumidity = withHumidity;
        WriteLittleEndian(0x88, T1);
        WriteLittleEndian(0x8A, T2);
        WriteLittleEndian(0x8C, T3);
        WriteLittleEndian(0x8E, P1);
        WriteLittleEndian(0x90, P2);
        WriteLittleEndian(0x92, P3);
        WriteLittleEndian(0x94, P4);
        WriteLittleEndian(0x96, P5);
        WriteLittleEndian(0x98, P6);
        WriteLittleEndian(0x9A, P7);
        WriteLittleEndian(0x9C, P8);
        WriteLittleEndian(0x9E, P9);
        if (withHumidity)
        {
            registers[0xA1] = H1;
            WriteLittleEndian(0xE1, H2);
            registers[0xE3] = H3;
            registers[0xE4] = (byte)(H4 >> 4);
            registers[0xE5] = (byte)((H4 & 0x0F) | ((H5 & 0x0F) << 4));
            registers[0xE6] = (byte)(H5 >> 4);
            registers[0xE7] = unchecked((byte)H6);
        }

        ResetMeasurementRegisters();
    }

    /// <inheritdoc/>
    public override string Model => hasHumidity ? "bme280" : "bmp280";

    /// <inheritdoc/>
    protected override bool ReportsChipId => true;

    /// <summary>The chip id the chip reports: 0x60 (BME280) or 0x58 (BMP280); the other one under <see cref="ChipFaults.WrongChipId"/>.</summary>
    public byte ChipId => (hasHumidity ^ Faults.WrongChipId) ? (byte)0x60 : (byte)0x58;

    /// <inheritdoc/>
    public override void OnWrite(ReadOnlySpan<byte> data)
    {
        lock (gate)
        {
            pointer = data[0];
            // Multi-byte writes are (register, value) pairs (datasheet §6.2.1).
            for (var i = 1; i < data.Length; i += 2)
            {
                var register = i == 1 ? data[0] : data[i - 1];
                WriteRegister(register, data[i]);
            }
        }
    }

    /// <inheritdoc/>
    public override void OnRead(Span<byte> buffer)
    {
        lock (gate)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                var register = (pointer + i) & 0xFF;
                buffer[i] = register == ChipIdRegister ? ChipId : registers[register];
            }

            pointer = (pointer + buffer.Length) & 0xFF;
        }
    }

    /// <summary>The datasheet's double-precision temperature compensation.</summary>
    /// <param name="adcT">The raw 20-bit temperature.</param>
    /// <returns>t_fine and the temperature in °C.</returns>
    public static (double TFine, double Celsius) CompensateTemperature(int adcT)
    {
        var v1 = (adcT / 16384.0 - T1 / 1024.0) * T2;
        var v2 = (adcT / 131072.0 - T1 / 8192.0) * (adcT / 131072.0 - T1 / 8192.0) * T3;
        var tFine = v1 + v2;
        return (tFine, tFine / 5120.0);
    }

    /// <summary>The datasheet's double-precision pressure compensation.</summary>
    /// <param name="adcP">The raw 20-bit pressure.</param>
    /// <param name="tFine">t_fine from the temperature.</param>
    /// <returns>The pressure in Pa.</returns>
    public static double CompensatePressure(int adcP, double tFine)
    {
        var v1 = tFine / 2.0 - 64000.0;
        var v2 = v1 * v1 * P6 / 32768.0;
        v2 += v1 * P5 * 2.0;
        v2 = v2 / 4.0 + P4 * 65536.0;
        v1 = (P3 * v1 * v1 / 524288.0 + P2 * v1) / 524288.0;
        v1 = (1.0 + v1 / 32768.0) * P1;
        if (v1 == 0)
        {
            return 0;
        }

        var p = 1048576.0 - adcP;
        p = (p - v2 / 4096.0) * 6250.0 / v1;
        v1 = P9 * p * p / 2147483648.0;
        v2 = p * P8 / 32768.0;
        return p + (v1 + v2 + P7) / 16.0;
    }

    /// <summary>The datasheet's double-precision humidity compensation.</summary>
    /// <param name="adcH">The raw 16-bit humidity.</param>
    /// <param name="tFine">t_fine from the temperature.</param>
    /// <returns>The relative humidity in %, clamped to 0…100.</returns>
    public static double CompensateHumidity(int adcH, double tFine)
    {
        var h = tFine - 76800.0;
        h = (adcH - (H4 * 64.0 + H5 / 16384.0 * h)) * (H2 / 65536.0 * (1.0 + H6 / 67108864.0 * h * (1.0 + H3 / 67108864.0 * h)));
        h *= 1.0 - H1 * h / 524288.0;
        return Math.Clamp(h, 0, 100);
    }

    private void WriteRegister(byte register, byte value)
    {
        switch (register)
        {
            case ResetRegister when value == 0xB6:
                registers[CtrlHumidity] = registers[CtrlMeasurement] = registers[Config] = 0;
                ResetMeasurementRegisters();
                return;
            case CtrlHumidity or Config:
                registers[register] = value;
                return;
            case CtrlMeasurement:
                registers[register] = value;
                if ((value & 0x03) is 0x01 or 0x02 or 0x03)
                {
                    Measure();
                }

                // A forced conversion ends in sleep mode (datasheet §3.3.3); the real chip reads back 00 once done.
                if ((value & 0x03) is 0x01 or 0x02)
                {
                    registers[register] = (byte)(value & 0xFC);
                }

                return;
            default:
                return;
        }
    }

    private void Measure()
    {
        var conditions = Convert();
        var oversamplingT = (registers[CtrlMeasurement] >> 5) & 0x07;
        var oversamplingP = (registers[CtrlMeasurement] >> 2) & 0x07;
        var oversamplingH = registers[CtrlHumidity] & 0x07;
        var adcT = InvertTemperature(conditions.Temperature.DegreesCelsius);
        var (tFine, _) = CompensateTemperature(adcT);
        if (oversamplingT != 0)
        {
            Write20(0xFA, adcT);
        }

        if (oversamplingP != 0)
        {
            Write20(0xF7, InvertPressure(conditions.Pressure.Pascals, tFine));
        }

        if (hasHumidity && oversamplingH != 0)
        {
            var adcH = InvertHumidity(conditions.Humidity.Percent, tFine);
            registers[0xFD] = (byte)(adcH >> 8);
            registers[0xFE] = (byte)adcH;
        }
    }

    private static int InvertTemperature(double celsius) =>
        Search(0, (1 << 20) - 1, adc => CompensateTemperature(adc).Celsius, celsius, increasing: true);

    private static int InvertPressure(double pascals, double tFine) =>
        Search(0, (1 << 20) - 1, adc => CompensatePressure(adc, tFine), pascals, increasing: false);

    private static int InvertHumidity(double percent, double tFine) =>
        Search(0, 0xFFFF, adc => CompensateHumidity(adc, tFine), percent, increasing: true);

    // Binary search over a monotonic compensation for the raw value whose result is nearest the target.
    private static int Search(int low, int high, Func<int, double> compensate, double target, bool increasing)
    {
        while (high - low > 1)
        {
            var middle = low + (high - low) / 2;
            var value = compensate(middle);
            if ((value < target) == increasing)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return Math.Abs(compensate(low) - target) <= Math.Abs(compensate(high) - target) ? low : high;
    }

    private void ResetMeasurementRegisters()
    {
        // Reset values (datasheet §5.4): 0x80000 for pressure and temperature, 0x8000 for humidity.
        Write20(0xF7, 0x80000);
        Write20(0xFA, 0x80000);
        registers[0xFD] = 0x80;
        registers[0xFE] = 0x00;
    }

    private void Write20(int register, int value)
    {
        registers[register] = (byte)(value >> 12);
        registers[register + 1] = (byte)(value >> 4);
        registers[register + 2] = (byte)((value & 0x0F) << 4);
    }

    private void WriteLittleEndian(int register, int value)
    {
        registers[register] = (byte)value;
        registers[register + 1] = (byte)(value >> 8);
    }
}
