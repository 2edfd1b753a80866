using System.ComponentModel.DataAnnotations;
using Floxide.Edge.OptionRules;

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
}
