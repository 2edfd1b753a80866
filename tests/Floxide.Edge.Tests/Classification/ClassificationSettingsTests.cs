using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Tests.Classification;

public sealed class ClassificationSettingsTests
{
    [Fact]
    public void Validate_HighWarningAboveHighCritical_NamesBothKeysValuesAndFix()
    {
        var options = EdgeTestKit.Temperature(highWarning: 40, highCritical: 35);

        var result = new ClassificationOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var message = Assert.Single(result.Failures!);
        Assert.Contains("Floxide:Classification:Defaults:Thresholds:temperature:HighWarning is 40 °C", message, StringComparison.Ordinal);
        Assert.Contains("Floxide:Classification:Defaults:Thresholds:temperature:HighCritical = 35 °C", message, StringComparison.Ordinal);
        Assert.Contains("lower the first or raise the second", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SensorOverrideConflictsWithDefault_NamesTheSensorKeyAndTheDefaultKey()
    {
        var options = EdgeTestKit.Temperature();
        options.Sensors["cellar"] = new SensorClassificationOptions { Thresholds = { ["temperature"] = new ThresholdOptions { HighWarning = 33 } } };

        var problems = ClassificationSettings.Validate(options, out var settings);

        Assert.Null(settings);
        var message = Assert.Single(problems);
        Assert.Contains("Floxide:Classification:Sensors:cellar:Thresholds:temperature:HighWarning is 33", message, StringComparison.Ordinal);
        Assert.Contains("Floxide:Classification:Defaults:Thresholds:temperature:HighCritical = 32", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("temprature", "names no quantity; use one of temperature, humidity, pressure")]
    public void Validate_UnknownQuantityName_SaysWhichNamesExist(string name, string expected)
    {
        var options = new ClassificationOptions();
        options.Defaults.Thresholds[name] = new ThresholdOptions { HighWarning = 30 };

        var problems = ClassificationSettings.Validate(options, out _);

        Assert.Contains(problems, problem => problem.Contains($"Defaults:Thresholds:{name} {expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_HysteresisWiderThanNormalBand_IsRejected()
    {
        var problems = ClassificationSettings.Validate(EdgeTestKit.Temperature(hysteresis: 20), out _);

        Assert.Contains(problems, problem => problem.Contains("Hysteresis is 20", StringComparison.Ordinal) && problem.Contains("smaller than 18", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadHoldGainRateAndStuck_ReportsEachOnce()
    {
        var options = new ClassificationOptions();
        options.Defaults.HoldReadings = 0;
        options.Defaults.StuckReadings = 1;
        options.Defaults.Calibration["humidity"] = new CalibrationOptions { Gain = 5 };
        options.Defaults.RateOfChangeLimits["temperature"] = -1;

        var problems = ClassificationSettings.Validate(options, out _);

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Floxide:Classification:Defaults:HoldReadings is 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Floxide:Classification:Defaults:StuckReadings is 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Floxide:Classification:Defaults:Calibration:humidity:Gain is 5", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Floxide:Classification:Defaults:RateOfChangeLimits:temperature is -1", StringComparison.Ordinal));
    }

    [Fact]
    public void For_SensorOverride_MergesFieldByFieldOverDefaults()
    {
        var options = EdgeTestKit.Temperature(holdReadings: 2);
        options.Sensors["freezer"] = new SensorClassificationOptions
        {
            Thresholds = { ["temperature"] = new ThresholdOptions { HighWarning = -15, HighCritical = -10, LowWarning = -30, LowCritical = -35 } },
            HoldTime = TimeSpan.FromMinutes(2),
        };

        var settings = ClassificationSettings.Create(options);
        var freezer = settings.For("freezer").For(Quantity.Temperature);
        var other = settings.For("lounge").For(Quantity.Temperature);

        Assert.Equal(new Thresholds(-35, -30, -15, -10, 0.5), freezer.Thresholds);
        Assert.Equal(2, freezer.HoldReadings);
        Assert.Equal(TimeSpan.FromMinutes(2), freezer.HoldTime);
        Assert.Equal(new Thresholds(5, 10, 28, 32, 0.5), other.Thresholds);
        Assert.Equal(TimeSpan.Zero, other.HoldTime);
        Assert.Equal(2, settings.For("lounge").For(Quantity.RelativeHumidity).Thresholds.Hysteresis);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsWithEveryProblem()
    {
        var exception = Assert.Throws<ArgumentException>(() => ClassificationSettings.Create(EdgeTestKit.Temperature(lowWarning: 3)));

        Assert.Contains("LowCritical is 5", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.Equal(ValidateOptionsResult.Success, new ClassificationOptionsValidator().Validate(null, new ClassificationOptions()));
    }
}
