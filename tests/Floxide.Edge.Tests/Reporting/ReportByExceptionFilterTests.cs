using System.Globalization;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;

namespace Floxide.Edge.Tests.Reporting;

public sealed class ReportByExceptionFilterTests
{
    private static readonly DateTimeOffset T0 = EdgeTestKit.Start;

    private static bool[] Run(ReportingOptions options, params (int Second, double Celsius)[] readings)
    {
        var filter = new ReportByExceptionFilter(options);
        return [.. readings.Select(r => filter.ShouldPublish(EdgeTestKit.Reading("a", T0.AddSeconds(r.Second), r.Celsius), classificationChanged: false))];
    }

    [Fact]
    public void ShouldPublish_AbsoluteDeadband_PublishesFirstAndMovesBeyondItOnly()
    {
        var options = new ReportingOptions { Heartbeat = TimeSpan.Zero, Deadbands = { ["temperature"] = new DeadbandOptions { Absolute = 0.5 } } };

        Assert.Equal([true, false, false, true, false], Run(options, (0, 20), (10, 20.4), (20, 19.6), (30, 20.6), (40, 20.2)));
    }

    [Fact]
    public void ShouldPublish_PercentDeadband_IsRelativeToTheLastPublishedValue()
    {
        var filter = new ReportByExceptionFilter(new ReportingOptions { Heartbeat = TimeSpan.Zero, Deadbands = { ["humidity"] = new DeadbandOptions { Percent = 10 } } });

        var published = new[] { 50, 54.9, 55.1, 60.5 }.Select((humidity, i) => filter.ShouldPublish(EdgeTestKit.Reading("a", T0.AddSeconds(i), humidity: humidity), false));

        Assert.Equal([true, false, true, false], published);
    }

    [Fact]
    public void Validate_PercentDeadbandOnTemperature_IsRejectedNamingKeyValueAndFix()
    {
        var problems = ReportingOptionsValidator.Problems(new ReportingOptions { Deadbands = { ["temperature"] = new DeadbandOptions { Percent = 5 } } });

        Assert.Equal(
            ["Floxide:Reporting:Deadbands:temperature:Percent is 5; a percentage of a Celsius temperature shrinks to nothing near 0 °C (and means nothing on an interval scale): " +
             "remove Percent and set Floxide:Reporting:Deadbands:temperature:Absolute in °C instead (e.g. 0.2)."],
            problems);
    }

    [Fact]
    public void Validate_UnderACommaDecimalCulture_FormatsNumbersInvariantly()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // Built by hand: the tests run with invariant globalization, so no named culture (de-DE) is installed.
            var commaDecimal = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            commaDecimal.NumberFormat.NumberDecimalSeparator = ",";
            commaDecimal.NumberFormat.NegativeSign = "\u2212";
            CultureInfo.CurrentCulture = commaDecimal;
            Assert.Equal("\u22121,5", $"{-1.5}");

            var reporting = ReportingOptionsValidator.Problems(new ReportingOptions
            {
                Deadbands = { ["humidity"] = new DeadbandOptions { Absolute = -1.5 } },
                Smoothing = { Alpha = 1.5 },
            });
            var alerts = AlertOptionsValidator.Problems(new AlertOptions { StaleFactor = 1.25 });
            var classification = ClassificationSettings.Validate(EdgeTestKit.Temperature(highWarning: 40.5, highCritical: 40.25), out _);

            Assert.Contains("Floxide:Reporting:Deadbands:humidity:Absolute is -1.5; set 0 or a positive number of %.", reporting);
            Assert.Contains("Floxide:Reporting:Smoothing:Alpha is 1.5; set a weight above 0 and at most 1 (0.3 is usual).", reporting);
            Assert.Contains("Floxide:Alerts:StaleFactor is 1.25; set 1.5 to 100 sensor intervals (3 is usual).", alerts);
            Assert.Contains(classification, problem => problem.StartsWith("Floxide:Classification:Defaults:Thresholds:temperature:HighWarning is 40.5 °C", StringComparison.Ordinal));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void ShouldPublish_NoDeadband_PublishesEveryChangeButNotRepeats()
    {
        Assert.Equal([true, false, true], Run(new ReportingOptions { Heartbeat = TimeSpan.Zero }, (0, 20), (10, 20), (20, 20.01)));
    }

    [Fact]
    public void ShouldPublish_HeartbeatPassed_PublishesUnchangedValue()
    {
        var options = new ReportingOptions { Heartbeat = TimeSpan.FromMinutes(1), Deadbands = { ["temperature"] = new DeadbandOptions { Absolute = 1 } } };

        Assert.Equal([true, false, true, false], Run(options, (0, 20), (59, 20), (60, 20), (90, 20)));
    }

    [Fact]
    public void ShouldPublish_ClassificationOrQualityChanged_PublishesInsideDeadband()
    {
        var filter = new ReportByExceptionFilter(new ReportingOptions { Deadbands = { ["temperature"] = new DeadbandOptions { Absolute = 5 } } });
        filter.ShouldPublish(EdgeTestKit.Reading("a", T0, 27.9), false);

        Assert.True(filter.ShouldPublish(EdgeTestKit.Reading("a", T0.AddSeconds(1), 28), classificationChanged: true));
        var suspect = EdgeTestKit.Reading("a", T0.AddSeconds(2), 28);
        suspect.Quality = ReadingQuality.Suspect;
        Assert.True(filter.ShouldPublish(suspect, false));
        var stillSuspect = EdgeTestKit.Reading("a", T0.AddSeconds(3), 28);
        stillSuspect.Quality = ReadingQuality.Suspect;
        Assert.False(filter.ShouldPublish(stillSuspect, false));
    }

    [Fact]
    public void Validate_BothAbsoluteAndPercentOrUnknownQuantity_NamesKeyAndFix()
    {
        var options = new ReportingOptions
        {
            Deadbands = { ["temperature"] = new DeadbandOptions { Absolute = 1, Percent = 2 }, ["lux"] = new DeadbandOptions { Absolute = 1 } },
            Smoothing = { Window = 1 },
        };

        var problems = ReportingOptionsValidator.Problems(options);

        Assert.Contains("Floxide:Reporting:Deadbands:temperature sets both Absolute (1) and Percent (2); keep one.", problems);
        Assert.Contains(problems, p => p.StartsWith("Floxide:Reporting:Deadbands:lux names no quantity", StringComparison.Ordinal));
        Assert.Contains("Floxide:Reporting:Smoothing:Window is 1; set 2 to 1000 readings.", problems);
        Assert.Throws<ArgumentException>(() => new ReportByExceptionFilter(options));
    }

    [Fact]
    public void Reconfigure_WiderDeadband_KeepsLastPublishedValue()
    {
        var filter = new ReportByExceptionFilter(new ReportingOptions { Heartbeat = TimeSpan.Zero });
        filter.ShouldPublish(EdgeTestKit.Reading("a", T0, 20), false);

        filter.Reconfigure(new ReportingOptions { Heartbeat = TimeSpan.Zero, Deadbands = { ["temperature"] = new DeadbandOptions { Absolute = 2 } } });

        Assert.False(filter.ShouldPublish(EdgeTestKit.Reading("a", T0.AddSeconds(1), 21.5), false));
        Assert.True(filter.ShouldPublish(EdgeTestKit.Reading("a", T0.AddSeconds(2), 22.5), false));
    }
}
