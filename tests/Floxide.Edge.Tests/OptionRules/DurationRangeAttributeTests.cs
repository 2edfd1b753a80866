using System.ComponentModel.DataAnnotations;
using Floxide.Edge.OptionRules;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Tests.OptionRules;

public sealed class DurationRangeAttributeTests
{
    [Theory]
    [InlineData("00:00:00.999", false)]
    [InlineData("00:00:01", true)]
    [InlineData("12:00:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("1.00:00:00.001", false)]
    public void IsValid_Duration_TrueOnlyWithinTheBoundsIncluded(string duration, bool valid)
    {
        var rule = new DurationRangeAttribute("00:00:01", "1.00:00:00");

        Assert.Equal(valid, rule.IsValid(TimeSpan.Parse(duration, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void GetValidationResult_OutOfRange_NamesTheKeyAndTheBoundsAsWritten()
    {
        var rule = new DurationRangeAttribute("00:00:00.100", "1.00:00:00");

        var result = rule.GetValidationResult(TimeSpan.FromDays(2), new ValidationContext(new object()) { DisplayName = "Floxide:Simulation:FleetInterval" });

        Assert.Equal("Floxide:Simulation:FleetInterval must be from 00:00:00.100 to 1.00:00:00.", result!.ErrorMessage);
        Assert.Null(rule.GetValidationResult(null, new ValidationContext(new object())));
    }

    [Fact]
    public void Of_AnnotatedProperty_IsTheAttributesRule()
    {
        var rule = DurationRangeAttribute.Of<SensorsOptions>(nameof(SensorsOptions.ReadTimeout));

        Assert.Equal((TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5)), (rule.Minimum, rule.Maximum));
        Assert.Null(rule.Problem("Floxide:Sensors:ReadTimeout", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5)));
        Assert.Equal(
            "Floxide:Sensors:ReadTimeout is 00:06:00; set it from 00:00:00.010 to 00:05:00 (default 00:00:05).",
            rule.Problem("Floxide:Sensors:ReadTimeout", TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Of_PropertyWithoutARule_Throws()
    {
        Assert.Throws<ArgumentException>(() => DurationRangeAttribute.Of<SensorsOptions>(nameof(SensorsOptions.FaultsBeforeOffline)));
    }
}
