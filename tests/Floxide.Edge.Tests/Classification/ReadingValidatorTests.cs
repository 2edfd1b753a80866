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
}
