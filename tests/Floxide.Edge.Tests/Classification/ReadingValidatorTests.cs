using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Classification;

public sealed class ReadingValidatorTests
{
    private readonly FakeTimeProvider time = new(EdgeTestKit.Start);
    private readonly ReadingValidator validator;

    public ReadingValidatorTests()
    {
        var options = new ClassificationOptions();
        options.Sensors["dht"] = new SensorClassificationOptions { StuckReadings = 3 };
        validator = EdgeTestKit.Validator(ClassificationSettings.Create(options), EdgeTestKit.Directory(EdgeTestKit.Bme280("a"), EdgeTestKit.Bme280("dht")), time);
    }

    public static TheoryData<double, InvalidReason> BadValues => new()
    {
        { double.NaN, InvalidReason.NotANumber },
        { double.PositiveInfinity, InvalidReason.NotANumber },
        { 85.5, InvalidReason.OutOfRange },
        { -40.1, InvalidReason.OutOfRange },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Validate_ImpossibleValue_IsInvalidWithReasonAndCounted(double celsius, InvalidReason reason)
    {
        var reading = EdgeTestKit.Reading("a", time.GetUtcNow(), celsius);

        Assert.False(validator.Validate(reading));
        Assert.Equal(ReadingQuality.Invalid, reading.Quality);
        Assert.StartsWith(reason.Name() + ":", reading.QualityReason, StringComparison.Ordinal);
        Assert.Equal(1, validator.Counts[reason]);
    }

    [Fact]
    public void Validate_NaNMarkedByProducer_IsInvalidNotANumber()
    {
        var reading = new SensorReading("a", time.GetUtcNow(), 1, "mqtt");

        Assert.False(ReadingValues.TrySetValue(reading, Quantity.Temperature, double.NaN));
        Assert.False(validator.Validate(reading));
        Assert.Equal("not-a-number: temperature is NaN", reading.QualityReason);
        Assert.Equal(1, validator.Counts[InvalidReason.NotANumber]);
    }

    [Fact]
    public void Validate_OutOfRange_NamesTheProfileRange()
    {
        var reading = EdgeTestKit.Reading("a", time.GetUtcNow(), humidity: 104);

        validator.Validate(reading);

        Assert.Equal("out-of-range: humidity 104 % is outside the bme280 range 0…100 %", reading.QualityReason);
    }

    [Fact]
    public void Validate_TimestampAheadOfSkewOrOlderThanMaxAge_IsInvalid()
    {
        var future = EdgeTestKit.Reading("a", time.GetUtcNow().AddSeconds(6), 20);
        var old = EdgeTestKit.Reading("a", time.GetUtcNow().AddMinutes(-11), 20);
        var slightlyAhead = EdgeTestKit.Reading("a", time.GetUtcNow().AddSeconds(4), 20);

        Assert.False(validator.Validate(future));
        Assert.False(validator.Validate(old));
        Assert.True(validator.Validate(slightlyAhead));
        Assert.Equal(1, validator.Counts[InvalidReason.InFuture]);
        Assert.Equal(1, validator.Counts[InvalidReason.TooOld]);
    }

    [Fact]
    public void Validate_UnknownSensorOrNoValues_IsInvalid()
    {
        Assert.False(validator.Validate(EdgeTestKit.Reading("ghost", time.GetUtcNow(), 20)));
        Assert.False(validator.Validate(EdgeTestKit.Reading("a", time.GetUtcNow())));
        Assert.Equal(1, validator.Counts[InvalidReason.UnknownSensor]);
        Assert.Equal(1, validator.Counts[InvalidReason.NoValues]);
        Assert.Equal(2, validator.Counts.Invalid);
    }

    [Fact]
    public void Validate_SameValueForStuckCount_IsSuspectUntilItChanges()
    {
        var qualities = new[] { 21.5, 21.5, 21.5, 21.5, 21.6 }.Select(celsius =>
        {
            var reading = EdgeTestKit.Reading("dht", time.GetUtcNow(), celsius);
            Assert.True(validator.Validate(reading));
            return (reading.Quality, reading.QualityReason);
        }).ToList();

        Assert.Equal([ReadingQuality.Good, ReadingQuality.Good, ReadingQuality.Suspect, ReadingQuality.Suspect, ReadingQuality.Good], qualities.Select(q => q.Quality));
        Assert.Equal("stuck: temperature unchanged for 3 readings or more", qualities[2].QualityReason);
        Assert.Equal(2, validator.Counts[InvalidReason.Stuck]);
    }

    [Fact]
    public void Validate_StuckCheckOffByDefault_RepeatedValuesStayGood()
    {
        for (var i = 0; i < 10; i++)
        {
            var reading = EdgeTestKit.Reading("a", time.GetUtcNow(), 20);
            validator.Validate(reading);
            Assert.Equal(ReadingQuality.Good, reading.Quality);
        }
    }

    private static (ReadingValidator Validator, ReadingCalibrator Calibrator) Calibrated(string quantity, double offset, double gain = 1)
    {
        var options = new ClassificationOptions();
        options.Sensors["a"] = new SensorClassificationOptions { Calibration = { [quantity] = new CalibrationOptions { Offset = offset, Gain = gain } } };
        var settings = ClassificationSettings.Create(options);
        return (EdgeTestKit.Validator(settings, EdgeTestKit.Directory(EdgeTestKit.Bme280("a"), EdgeTestKit.Bme280("b")), new FakeTimeProvider(EdgeTestKit.Start)),
            new ReadingCalibrator(settings));
    }

    [Fact]
    public void ValidateCalibrated_CalibrationPushesValueOutOfTheChipRange_IsInvalidNamingRawValueAndCalibration()
    {
        var (validator, calibrator) = Calibrated("temperature", offset: 2.5);
        var reading = EdgeTestKit.Reading("a", EdgeTestKit.Start, 84);

        Assert.True(validator.Validate(reading));
        Assert.True(calibrator.Calibrate(reading));
        Assert.False(validator.ValidateCalibrated(reading));

        Assert.Equal(ReadingQuality.Invalid, reading.Quality);
        Assert.Equal(
            "out-of-range: temperature 86.5 °C after calibration (raw 84 °C × 1 + 2.5) is outside the bme280 range -40…85 °C; " +
            "check the temperature calibration of a (Floxide:Classification:Sensors:a:Calibration:temperature, or Defaults)",
            reading.QualityReason);
        Assert.Equal(1, validator.Counts[InvalidReason.OutOfRange]);
    }

    [Theory]
    [InlineData(98, 3, 1, 100)]
    [InlineData(2, -4, 1, 0)]
    [InlineData(50, 1, 1, 51)]
    public void ValidateCalibrated_HumidityJustBeyondTheBounds_IsClampedToThemAndStaysValid(double raw, double offset, double gain, double expected)
    {
        var (validator, calibrator) = Calibrated("humidity", offset, gain);
        var reading = EdgeTestKit.Reading("a", EdgeTestKit.Start, humidity: raw);

        Assert.True(validator.Validate(reading));
        calibrator.Calibrate(reading);

        Assert.True(validator.ValidateCalibrated(reading));
        Assert.Equal(ReadingQuality.Good, reading.Quality);
        Assert.True(reading.TryGetValue(Quantity.RelativeHumidity, out var value));
        Assert.Equal(expected, value, 9);
    }

    [Fact]
    public void ValidateCalibrated_HumidityFarBeyondTheBound_IsInvalidNotClamped()
    {
        var (validator, calibrator) = Calibrated("humidity", offset: 0, gain: 1.2);
        var reading = EdgeTestKit.Reading("a", EdgeTestKit.Start, humidity: 90);

        Assert.True(validator.Validate(reading));
        calibrator.Calibrate(reading);

        Assert.False(validator.ValidateCalibrated(reading));
        Assert.StartsWith("out-of-range: humidity 108 % after calibration (raw 90 % × 1.2 + 0)", reading.QualityReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_SensorWithoutCalibration_ChangesNothingAndNeedsNoSecondCheck()
    {
        var (_, calibrator) = Calibrated("temperature", offset: 2.5);
        var reading = EdgeTestKit.Reading("b", EdgeTestKit.Start, 84);

        Assert.False(calibrator.Calibrate(reading));
        Assert.Equal(84, reading.Temperature!.Value.DegreesCelsius);
    }

    [Fact]
    public void Validate_ManyUnknownSensorIds_LogOncePerIntervalTagUnknownAndKeepNoPerIdState()
    {
        using var meter = new Meter("test");
        using var invalid = new MetricCollector<long>(meter, "floxide.readings.invalid");
        var logger = new FakeLogger<ReadingValidator>();
        var directory = EdgeTestKit.Directory(EdgeTestKit.Bme280("a"));
        var validator = new ReadingValidator(ClassificationSettings.Create(new ClassificationOptions()), directory, time, logger, meter);

        for (var i = 0; i < 1_000; i++)
        {
            var reading = EdgeTestKit.Reading($"ghost-{i}", time.GetUtcNow(), i % 2 == 0 ? 20 : double.NaN);
            Assert.False(validator.Validate(reading));
        }

        Assert.Equal(0, validator.TrackedSensors);
        Assert.Equal(1_000, validator.Counts[InvalidReason.UnknownSensor]);
        Assert.Equal(0, validator.Counts[InvalidReason.NotANumber]);
        Assert.All(invalid.GetMeasurementSnapshot(), m => Assert.Equal("unknown", m.Tags["sensor.id"]));
        var first = Assert.Single(logger.Collector.GetSnapshot());
        Assert.StartsWith("A reading of unknown sensor ghost-0 was dropped", first.Message, StringComparison.Ordinal);

        time.Advance(ReadingValidator.UnknownSensorLogInterval);
        validator.Validate(EdgeTestKit.Reading("ghost-x", time.GetUtcNow(), 20));

        Assert.Equal(2, logger.Collector.Count);
        Assert.Contains("ghost-x", logger.LatestRecord.Message, StringComparison.Ordinal);
        Assert.Contains("999 more readings of unknown sensors", logger.LatestRecord.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KnownSensorInvalidForSeveralReasons_LogsEachReasonOnceAndTagsItsId()
    {
        using var meter = new Meter("test");
        using var invalid = new MetricCollector<long>(meter, "floxide.readings.invalid");
        var logger = new FakeLogger<ReadingValidator>();
        var validator = new ReadingValidator(ClassificationSettings.Create(new ClassificationOptions()), EdgeTestKit.Directory(EdgeTestKit.Bme280("a")), time, logger, meter);

        foreach (var celsius in new[] { 90, 91, double.NaN, double.NaN, 92 })
        {
            validator.Validate(EdgeTestKit.Reading("a", time.GetUtcNow(), celsius));
        }

        Assert.Equal(["out-of-range", "not-a-number"], logger.Collector.GetSnapshot().Select(r => r.StructuredState!.Single(kv => kv.Key == "Cause").Value));
        Assert.Equal(5, invalid.GetMeasurementSnapshot().Count(m => (string?)m.Tags["sensor.id"] == "a"));
    }
}
