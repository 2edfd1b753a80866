using Floxide.Edge.Classification;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Tests.Classification;

public sealed class ThresholdClassifierTests
{
    private static readonly DateTimeOffset T0 = EdgeTestKit.Start;
    private readonly ReadingClassification result = new();

    private static ThresholdClassifier Classifier(Action<ClassificationOptions>? configure = null)
    {
        var options = EdgeTestKit.Temperature();
        configure?.Invoke(options);
        return new ThresholdClassifier(ClassificationSettings.Create(options));
    }

    [Fact]
    public void Classify_MostSevereQuantity_DecidesTheVerdict()
    {
        var classifier = Classifier(options => options.Defaults.Thresholds["humidity"] = new ThresholdOptions { HighWarning = 70, HighCritical = 85 });

        var verdict = classifier.Classify(EdgeTestKit.Reading("a", T0, celsius: 29, humidity: 90), result);

        Assert.Equal(ClassificationVerdict.Critical, verdict);
        Assert.Equal(ThresholdZone.WarningHigh, result[Quantity.Temperature].Zone);
        Assert.Equal(28, result[Quantity.Temperature].Threshold);
        Assert.Equal(ThresholdZone.CriticalHigh, result[Quantity.RelativeHumidity].Zone);
        Assert.True(result.AnyChanged);
    }

    [Fact]
    public void Classify_SpikeBeyondRateLimit_IsInvalidAndTheNextNormalReadingIsAccepted()
    {
        var classifier = Classifier(options => options.Defaults.RateOfChangeLimits["temperature"] = 5);

        var verdicts = new[] { 20.0, 45, 20.2 }.Select((celsius, i) =>
        {
            var reading = EdgeTestKit.Reading("a", T0.AddMinutes(i), celsius);
            return (classifier.Classify(reading, result), reading.QualityReason);
        }).ToList();

        Assert.Equal([ClassificationVerdict.Normal, ClassificationVerdict.Invalid, ClassificationVerdict.Normal], verdicts.Select(v => v.Item1));
        Assert.Equal("rate-of-change: temperature changed 25 °C/min, more than the 5 °C/min limit", verdicts[1].QualityReason);
        Assert.Equal(1, classifier.Counts[InvalidReason.RateOfChange]);
        Assert.Equal(ThresholdZone.Normal, classifier.ZoneOf("a", Quantity.Temperature));
    }

    [Fact]
    public void Classify_RealStepBeyondRateLimit_IsRejectedOnceThenConfirmed()
    {
        var classifier = Classifier(options => options.Defaults.RateOfChangeLimits["temperature"] = 5);

        var verdicts = new[] { 20.0, 30, 30.1 }.Select((celsius, i) => classifier.Classify(EdgeTestKit.Reading("a", T0.AddMinutes(i), celsius), result)).ToList();

        Assert.Equal([ClassificationVerdict.Normal, ClassificationVerdict.Invalid, ClassificationVerdict.Warning], verdicts);
    }

    [Fact]
    public void Reconfigure_NewThresholds_KeepsZoneAndJudgesNextReadingWithThem()
    {
        var classifier = Classifier();
        classifier.Classify(EdgeTestKit.Reading("a", T0, 29), result);

        classifier.Reconfigure(ClassificationSettings.Create(EdgeTestKit.Temperature(highWarning: 30, highCritical: 35)));

        Assert.Equal(ThresholdZone.WarningHigh, classifier.ZoneOf("a", Quantity.Temperature));
        Assert.Equal(ClassificationVerdict.Warning, classifier.Classify(EdgeTestKit.Reading("a", T0.AddMinutes(1), 29.6), result));
        Assert.False(result.AnyChanged);
        Assert.Equal(ClassificationVerdict.Normal, classifier.Classify(EdgeTestKit.Reading("a", T0.AddMinutes(2), 29.4), result));
        Assert.True(result[Quantity.Temperature].Changed);
    }

    [Fact]
    public void Restore_ActiveZone_IsKeptByReadingsStillInIt()
    {
        var classifier = Classifier();
        classifier.Restore("a", Quantity.Temperature, ThresholdZone.CriticalHigh);

        Assert.Equal(ClassificationVerdict.Critical, classifier.Classify(EdgeTestKit.Reading("a", T0, 31.7), result));
        Assert.False(result.AnyChanged);
    }

    [Fact]
    public void Calibrate_OffsetAndGain_AreAppliedInPlaceBeforeClassification()
    {
        var options = EdgeTestKit.Temperature();
        options.Sensors["a"] = new SensorClassificationOptions { Calibration = { ["temperature"] = new CalibrationOptions { Offset = -1.5, Gain = 1.1 } } };
        var settings = ClassificationSettings.Create(options);
        var reading = EdgeTestKit.Reading("a", T0, celsius: 20, humidity: 50);

        new ReadingCalibrator(settings).Calibrate(reading);

        Assert.True(reading.TryGetValue(Quantity.Temperature, out var celsius));
        Assert.Equal(20.5, celsius, 9);
        Assert.True(reading.TryGetValue(Quantity.RelativeHumidity, out var humidity));
        Assert.Equal(50, humidity);
    }
}
