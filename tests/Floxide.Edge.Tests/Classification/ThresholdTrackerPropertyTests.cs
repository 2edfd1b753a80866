using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Tests.Classification;

/// <summary>Properties of hysteresis and hold over generated value sequences (fixed seeds, so runs repeat).</summary>
public sealed class ThresholdTrackerPropertyTests
{
    private static readonly DateTimeOffset T0 = EdgeTestKit.Start;

    // Fractions of the band: 0 is the threshold minus the hysteresis, 1 the threshold itself (exclusive at both ends).
    private static Gen<double[]> InsideBand() =>
        Gen.Choose(1, 999).Select(n => n / 1000.0).ArrayOf().Where(values => values.Length > 0);

    [Property(Replay = "(1234567,7654321)", MaxTest = 300)]
    public Property Observe_ValuesInsideHysteresisBand_NeverChangeZone()
    {
        var cases =
            from zone in Gen.Elements(ThresholdZone.WarningHigh, ThresholdZone.CriticalHigh, ThresholdZone.WarningLow, ThresholdZone.CriticalLow)
            from entered in Gen.Elements(true, false)
            from holdReadings in Gen.Choose(1, 4)
            from fractions in InsideBand()
            select (zone, entered, holdReadings, fractions);
        return Prop.ForAll(cases.ToArbitrary(), testCase =>
            {
                var (zone, entered, holdReadings, fractions) = testCase;
                var thresholds = new Thresholds(5, 10, 28, 32, 1.5);
                var rules = new QuantityRules(Quantity.Temperature, thresholds, holdReadings, TimeSpan.Zero, double.NaN, 0, 1);
                var threshold = thresholds.For(zone);
                var outward = Math.Sign((int)zone);
                // Start either inside the zone (entered) or just outside its band, whichever side the band was reached from.
                var start = entered ? zone : (ThresholdZone)((int)zone - outward);
                var tracker = new ThresholdTracker(start);
                var changed = false;
                for (var i = 0; i < fractions.Length; i++)
                {
                    var value = threshold - (outward * thresholds.Hysteresis * (1 - fractions[i]));
                    changed |= tracker.Observe(value, T0.AddSeconds(i), rules);
                }

                return (!changed && tracker.Zone == start).Label($"start {start}, values {string.Join(", ", fractions)}");
            });
    }
}
