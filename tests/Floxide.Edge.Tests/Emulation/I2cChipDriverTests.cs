using Floxide.Edge.Emulation;
using Floxide.Edge.Readings;
using Floxide.Edge.Tests.Support;
using Microsoft.Extensions.Time.Testing;


namespace Floxide.Edge.Tests.Emulation;

/// <summary>Each I²C model's real driver against its emulated chip: the physical range round-trips, and every fault becomes the right event.</summary>
public sealed class I2cChipDriverTests
{
    public static TheoryData<string> I2cModels() => ["bme280", "bmp280", "sht3x", "sht4x", "aht20", "aht10", "si7021", "htu21d"];

    public static TheoryData<string> ModelsWithChecksum() => ["sht3x", "sht4x", "aht20", "si7021", "htu21d"];

    [Theory]
    [MemberData(nameof(I2cModels))]
    public async Task Poll_AcrossPhysicalRange_ReadsConditionsBackWithinResolution(string model)
    {
        using var rig = SensorRig.For(model);
        var temperature = rig.Profile.Quantities[Quantity.Temperature];
        var humidity = rig.Profile.Quantities.GetValueOrDefault(Quantity.RelativeHumidity);
        var pressure = rig.Profile.Quantities.GetValueOrDefault(Quantity.Pressure);
        const int Steps = 6;
        for (var step = 0; step <= Steps; step++)
        {
            var fraction = step / (double)Steps;
            var celsius = Lerp(temperature.Range, fraction);
            var percent = humidity is null ? 50 : Lerp(humidity.Range, 1 - fraction);
            var hectopascals = pressure is null ? 1013.25 : Lerp(pressure.Range, (fraction + 0.5) % 1);
            rig.SetConditions(celsius, percent, hectopascals);

            var events = await rig.PollAsync();

            var reading = Assert.Single(events.OfType<SensorReading>());
            Assert.Equal(rig.FirstSequence + step, reading.Sequence);
            Assert.Equal(rig.Time.GetUtcNow(), reading.Timestamp);
            Assert.Equal($"{model} i2c-1/0x{rig.Profile.I2c!.DefaultAddress:x2}", reading.Source);
            AssertWithin(celsius, reading.Temperature?.DegreesCelsius, temperature.Resolution, "temperature", step);
            if (humidity is null)
            {
                Assert.Null(reading.Humidity);
            }
            else
            {
                AssertWithin(percent, reading.Humidity?.Percent, humidity.Resolution, "humidity", step);
            }

            if (pressure is null)
            {
                Assert.Null(reading.Pressure);
            }
            else
            {
                AssertWithin(hectopascals, reading.Pressure?.Hectopascals, pressure.Resolution, "pressure", step);
            }
        }
    }

    [Theory]
    [MemberData(nameof(I2cModels))]
    public async Task Poll_ChipAbsent_NotPresentFault_ThenOfflineAfterThreeAndOnlineWhenBack(string model)
    {
        using var rig = SensorRig.For(model, faultsBeforeOffline: 3);
        rig.Chip.Faults.Absent = true;

        var first = await rig.PollAsync();
        var second = await rig.PollAsync();
        var third = await rig.PollAsync();

        Assert.Equal(SensorFaultKind.NotPresent, Assert.Single(first.OfType<SensorFault>()).Kind);
        Assert.Empty(first.OfType<SensorStatusChanged>());
        Assert.Equal(2, Assert.Single(second.OfType<SensorFault>()).ConsecutiveFaults);
        Assert.Equal(SensorStatus.Offline, Assert.Single(third.OfType<SensorStatusChanged>()).Status);
        Assert.Contains("answers", Assert.Single(third.OfType<SensorFault>()).Detail, StringComparison.Ordinal);

        Assert.Empty((await rig.PollAsync()).OfType<SensorStatusChanged>()); // still offline: no second event

        rig.Chip.Faults.Absent = false;
        var back = await rig.PollAsync();
        Assert.Equal(SensorStatus.Online, Assert.IsType<SensorStatusChanged>(back[0]).Status);
        Assert.Equal(rig.FirstSequence, Assert.IsType<SensorReading>(back[1]).Sequence);
        Assert.Equal(0, rig.Poller.ConsecutiveFaults);
    }

    [Theory]
    [MemberData(nameof(I2cModels))]
    public async Task Poll_TransferNotAcknowledged_BusErrorFault_ThenRecovers(string model)
    {
        using var rig = SensorRig.For(model);
        Assert.Single((await rig.PollAsync()).OfType<SensorReading>());

        rig.Chip.Faults.Nack(1);
        var fault = Assert.Single((await rig.PollAsync()).OfType<SensorFault>());

        Assert.Equal(SensorFaultKind.BusError, fault.Kind);
        Assert.Contains("did not acknowledge", fault.Detail, StringComparison.Ordinal);
        Assert.Equal(rig.FirstSequence + 1, Assert.Single((await rig.PollAsync()).OfType<SensorReading>()).Sequence);
    }

    [Theory]
    [MemberData(nameof(ModelsWithChecksum))]
    public async Task Poll_CorruptChecksum_ChecksumMismatchFault_NeverTheLastGoodValue(string model)
    {
        using var rig = SensorRig.For(model);
        rig.SetConditions(20, 40, 1000);
        Assert.Single((await rig.PollAsync()).OfType<SensorReading>());

        rig.SetConditions(30, 60, 1000);
        rig.Chip.Faults.CorruptChecksum = true;
        var events = await rig.PollAsync();

        Assert.Empty(events.OfType<SensorReading>());
        Assert.Equal(SensorFaultKind.ChecksumMismatch, Assert.Single(events.OfType<SensorFault>()).Kind);

        rig.Chip.Faults.CorruptChecksum = false;
        var reading = Assert.Single((await rig.PollAsync()).OfType<SensorReading>());
        Assert.Equal(30, reading.Temperature!.Value.DegreesCelsius, 1);
    }

    [Theory]
    [MemberData(nameof(I2cModels))]
    public async Task Poll_StuckValue_RepeatsTheFrozenValue_ForValidationToFlag(string model)
    {
        using var rig = SensorRig.For(model);
        rig.SetConditions(20, 40, 1000);
        rig.Chip.Faults.StuckValue = true;
        var before = Assert.Single((await rig.PollAsync()).OfType<SensorReading>());

        rig.SetConditions(35, 70, 900);
        var stuck = Assert.Single((await rig.PollAsync()).OfType<SensorReading>());

        Assert.Equal(before.Temperature, stuck.Temperature);
        Assert.Equal(before.Humidity, stuck.Humidity);
        Assert.Equal(before.Pressure, stuck.Pressure);
        rig.Chip.Faults.StuckValue = false;
        Assert.Equal(35, Assert.Single((await rig.PollAsync()).OfType<SensorReading>()).Temperature!.Value.DegreesCelsius, 1);
    }

    [Theory]
    [InlineData("bme280", "has id 0x58, not the Bosch BME280's 0x60 (a BMP280: use the bmp280 profile)")]
    [InlineData("bmp280", "has id 0x60, not the Bosch BMP280's 0x58 (a BME280: use the bme280 profile)")]
    [InlineData("si7021", "reports device id 0x14, not the Silicon Labs Si7021's 0x15 (another Si70xx)")]
    [InlineData("sht3x", "answered the status command 0xF32D with FFFFFF, all ones")]
    [InlineData("sht4x", "answered the serial number command 0x89 with FFFFFFFFFFFF, all ones")]
    [InlineData("aht20", "answered a status read with FF, all ones")]
    [InlineData("aht10", "answered a status read with FF, all ones")]
    [InlineData("htu21d", "answered the user register read 0xE7 with FF, all ones")]
    public async Task Poll_WrongChipId_WrongChipFaultNamingWhatAnswered_ThenReadsWhenTheRightChipIsBack(string model, string detail)
    {
        using var rig = SensorRig.For(model);
        rig.Chip.Faults.WrongChipId = true;

        var events = await rig.PollAsync();

        Assert.Empty(events.OfType<SensorReading>());
        var fault = Assert.Single(events.OfType<SensorFault>());
        Assert.Equal(SensorFaultKind.WrongChip, fault.Kind);
        Assert.Contains(detail, fault.Detail, StringComparison.Ordinal);
        rig.Chip.Faults.WrongChipId = false;
        Assert.Single((await rig.PollAsync()).OfType<SensorReading>());
    }

    [Theory]
    [MemberData(nameof(I2cModels))]
    public async Task Poll_WrongChipInPlaceAfterGoodReads_WrongChipFaultOnceTheBusErrorMakesTheDriverLookAgain(string model)
    {
        using var rig = SensorRig.For(model, faultsBeforeOffline: 2);
        Assert.Single((await rig.PollAsync()).OfType<SensorReading>());

        // A chip swapped while running: the first transfer fails, the driver probes again and meets the other part.
        rig.Chip.Faults.Nack(1);
        rig.Chip.Faults.WrongChipId = true;
        var swapped = Assert.Single((await rig.PollAsync()).OfType<SensorFault>());
        var again = await rig.PollAsync();

        Assert.Equal(SensorFaultKind.WrongChip, swapped.Kind);
        Assert.Equal(SensorFaultKind.WrongChip, Assert.Single(again.OfType<SensorFault>()).Kind);
        Assert.Equal(SensorStatus.Offline, Assert.Single(again.OfType<SensorStatusChanged>()).Status);
    }

    [Theory]
    [MemberData(nameof(I2cModels))]
    public async Task Poll_SlowResponseWithinTheReadTimeout_ReadsNormally(string model)
    {
        using var rig = SensorRig.For(model);
        Assert.Single((await rig.PollAsync()).OfType<SensorReading>());
        var delay = TimeSpan.FromMilliseconds(15);
        rig.Chip.Faults.ResponseDelay = delay;
        var transfers = rig.Hardware.I2cBus().Transfers;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var events = await rig.PollAsync();

        var made = rig.Hardware.I2cBus().Transfers - transfers;
        Assert.Single(events.OfType<SensorReading>());
        Assert.Empty(events.OfType<SensorFault>());
        Assert.True(made > 0 && watch.Elapsed >= delay * made, $"{made} transfers took {watch.Elapsed}, not at least {delay} each");
    }

    [Theory]
    [MemberData(nameof(I2cModels))]
    public async Task Poll_SlowResponse_TimeoutFault_AndTheBusStaysHeldUntilTheDriverReturns(string model)
    {
        using var rig = SensorRig.For(model);
        Assert.Single((await rig.PollAsync()).OfType<SensorReading>());
        rig.Chip.Faults.Hold();
        var held = rig.Chip.Faults.WaitUntilHeldAsync();

        var poll = rig.Poller.PollOnceAsync().AsTask();
        await held.WaitAsync(SensorRig.Patience);
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        await poll.WaitAsync(SensorRig.Patience);

        var fault = Assert.Single(rig.Drain().OfType<SensorFault>());
        Assert.Equal(SensorFaultKind.Timeout, fault.Kind);
        Assert.Contains("5000 ms", fault.Detail, StringComparison.Ordinal);

        rig.Chip.Faults.Release();
        Assert.Single((await rig.PollAsync()).OfType<SensorReading>());
    }

    [Fact]
    public async Task Poll_Aht20BusyForever_TimeoutFault_InsteadOfTheBindingsEndlessLoop()
    {
        using var rig = SensorRig.For("aht20");
        ((AhtChip)rig.Chip).BusyReads = int.MaxValue;

        var fault = Assert.Single((await rig.PollAsync()).OfType<SensorFault>());

        Assert.Equal(SensorFaultKind.Timeout, fault.Kind);
        Assert.Contains("stayed busy", fault.Detail, StringComparison.Ordinal);
        ((AhtChip)rig.Chip).BusyReads = 2;
        Assert.Single((await rig.PollAsync()).OfType<SensorReading>());
    }

    [Fact]
    public void Bmx280Chip_DatasheetVector_MatchesTheBindingsCompensation()
    {
        // Values the real Iot.Device.Bindings 4.2.0 driver computed for this calibration (notes: bindings.md §3).
        var (tFine, celsius) = Bmx280Chip.CompensateTemperature(519888);

        Assert.Equal(25.08247793081682, celsius, 10);
        Assert.Equal(100653.26677582515, Bmx280Chip.CompensatePressure(415148, tFine), 6);
        Assert.Equal(51.08314405776948, Bmx280Chip.CompensateHumidity(30000, tFine), 10);
    }

    private static double Lerp(ValueRange range, double fraction) => range.Minimum + (range.Maximum - range.Minimum) * fraction;

    private static void AssertWithin(double expected, double? actual, double tolerance, string what, int step)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected - actual.Value) <= tolerance,
            $"step {step}: {what} {expected} read back as {actual} (tolerance {tolerance})");
    }
}
