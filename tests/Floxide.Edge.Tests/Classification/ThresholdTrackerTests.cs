using Floxide.Edge.Classification;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Tests.Classification;

public sealed class ThresholdTrackerTests
{
    private static readonly DateTimeOffset T0 = EdgeTestKit.Start;

    private static QuantityRules Rules(int hold = 1, TimeSpan? holdTime = null) =>
        new(Quantity.Temperature, new Thresholds(5, 10, 28, 32, 0.5), hold, holdTime ?? TimeSpan.Zero, double.NaN, 0, 1);

    private static ThresholdZone[] Run(QuantityRules rules, params double[] values)
    {
        var tracker = new ThresholdTracker();
        return [.. values.Select((value, i) =>
        {
            tracker.Observe(value, T0.AddMinutes(i), rules);
            return tracker.Zone;
        })];
    }

    [Fact]
    public void Observe_ReachesThreshold_EntersZoneAtOnce()
    {
        Assert.Equal(
            [ThresholdZone.Normal, ThresholdZone.WarningHigh, ThresholdZone.CriticalHigh, ThresholdZone.WarningLow, ThresholdZone.CriticalLow],
            Run(Rules(), 27.9, 28, 32, 10, 5));
    }

    [Fact]
    public void Observe_InsideHysteresisBand_KeepsZoneUntilValueMovesPastIt()
    {
        Assert.Equal(
            [ThresholdZone.WarningHigh, ThresholdZone.WarningHigh, ThresholdZone.WarningHigh, ThresholdZone.Normal, ThresholdZone.Normal],
            Run(Rules(), 28.1, 27.9, 27.6, 27.5, 27.9));
    }

    [Fact]
    public void Observe_LeavingCriticalIntoWarningBand_DeescalatesToWarning()
    {
        Assert.Equal(
            [ThresholdZone.CriticalHigh, ThresholdZone.CriticalHigh, ThresholdZone.WarningHigh, ThresholdZone.WarningHigh, ThresholdZone.Normal],
            Run(Rules(), 33, 31.6, 31.5, 27.6, 27.4));
    }

    [Fact]
    public void Observe_HoldReadings_EntersOnlyAfterEnoughReadingsInARow()
    {
        Assert.Equal(
            [ThresholdZone.Normal, ThresholdZone.Normal, ThresholdZone.Normal, ThresholdZone.Normal, ThresholdZone.WarningHigh],
            Run(Rules(hold: 3), 29, 27, 29, 29, 29));
    }

    [Fact]
    public void Observe_ValueWaversBetweenWarningAndCritical_EntersWarningAfterHold()
    {
        Assert.Equal(
            [ThresholdZone.Normal, ThresholdZone.Normal, ThresholdZone.WarningHigh, ThresholdZone.WarningHigh],
            Run(Rules(hold: 3), 32.5, 31, 32.5, 31));
    }

    [Fact]
    public void Observe_HoldTime_EntersOnlyOnceReadingsSpanIt()
    {
        var rules = Rules(holdTime: TimeSpan.FromSeconds(90));
        var tracker = new ThresholdTracker();

        Assert.False(tracker.Observe(29, T0, rules));
        Assert.False(tracker.Observe(29, T0.AddSeconds(60), rules));
        Assert.True(tracker.Observe(29, T0.AddSeconds(90), rules));
        Assert.Equal(ThresholdZone.WarningHigh, tracker.Zone);
    }

    [Fact]
    public void Observe_RestoredZone_StaysWhileValueRemainsInIt()
    {
        var tracker = new ThresholdTracker(ThresholdZone.CriticalHigh);

        Assert.False(tracker.Observe(31.8, T0, Rules()));
        Assert.Equal(ThresholdZone.CriticalHigh, tracker.Zone);
    }
}
