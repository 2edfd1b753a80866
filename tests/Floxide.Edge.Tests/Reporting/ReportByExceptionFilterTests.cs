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
        var options = new ReportingOptions { Heartbeat = TimeSpan.Zero, Deadbands = { ["temperature"] = new DeadbandOptions { Percent = 10 } } };

        Assert.Equal([true, false, true, false], Run(options, (0, 20), (10, 21.9), (20, 22.1), (30, 24.2)));
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
