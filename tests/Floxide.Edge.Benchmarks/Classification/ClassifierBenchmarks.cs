using BenchmarkDotNet.Attributes;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;
using Floxide.Edge.Sensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Floxide.Edge.Benchmarks.Classification;

/// <summary>
/// Per-reading cost of the gateway's hot path in steady state (16 sensors, temperature and humidity, values inside
/// their normal bands so no alert changes). Baseline: the same readings judged by an inline, stateless comparison
/// against the four thresholds, the least any classifier must do. <c>Classifier</c> adds hysteresis, hold and
/// rate-of-change state per sensor; <c>ReadingPath</c> is every per-reading component the workflow runs: validate,
/// calibrate, classify, alert book, smoothing and report-by-exception. Figures are per reading (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks : IDisposable
{
    private const int ReadingsPerOperation = 10_000;
    private const int Sensors = 16;
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ReadingClassification classification = new();
    private SensorReading[] readings = [];
    private ThresholdClassifier classifier = null!;
    private ReadingValidator validator = null!;
    private ReadingCalibrator calibrator = null!;
    private ThresholdClassifier pathClassifier = null!;
    private AlertBook alerts = null!;
    private AlertDispatcher dispatcher = null!;
    private AlertStateFile stateFile = null!;
    private ReadingSmoother smoother = null!;
    private ReportByExceptionFilter filter = null!;
    private DirectoryInfo stateDirectory = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        readings = [.. Enumerable.Range(0, ReadingsPerOperation).Select(i =>
        {
            // One reading per sensor per minute, as a polled BME280 reports; values move less than the rate limit allows.
            var reading = new SensorReading($"sensor-{i % Sensors}", Start.AddMinutes(i / Sensors), i, "benchmark");
            reading.SetValue(Quantity.Temperature, 18 + (random.NextDouble() * 8));
            reading.SetValue(Quantity.RelativeHumidity, 40 + (random.NextDouble() * 20));
            return reading;
        })];
        var options = new ClassificationOptions { MaxReadingAge = TimeSpan.FromDays(1) };
        options.Defaults.Thresholds["temperature"] = new ThresholdOptions { LowCritical = 5, LowWarning = 10, HighWarning = 28, HighCritical = 32 };
        options.Defaults.Thresholds["humidity"] = new ThresholdOptions { HighWarning = 75, HighCritical = 85 };
        options.Defaults.RateOfChangeLimits["temperature"] = 50;
        options.Defaults.HoldReadings = 2;
        var settings = ClassificationSettings.Create(options);
        var directory = new SensorDirectory();
        for (var i = 0; i < Sensors; i++)
        {
            directory.Register(new SensorDescriptor($"sensor-{i}", "bme280", SensorOrigin.Simulated, TimeSpan.FromMinutes(1),
                new Dictionary<Quantity, ValueRange> { [Quantity.Temperature] = new(-40, 85), [Quantity.RelativeHumidity] = new(0, 100) }));
        }

        var clock = new FixedTimeProvider(Start.AddMinutes((ReadingsPerOperation / Sensors) + 1));
        classifier = new ThresholdClassifier(settings);
        validator = new ReadingValidator(settings, directory, clock, NullLogger<ReadingValidator>.Instance);
        calibrator = new ReadingCalibrator(settings);
        pathClassifier = new ThresholdClassifier(settings, validator.Counts);
        stateDirectory = Directory.CreateTempSubdirectory("floxide-bench-");
        stateFile = new AlertStateFile(Path.Combine(stateDirectory.FullName, "alerts.json"), clock, NullLogger<AlertStateFile>.Instance);
        dispatcher = new AlertDispatcher([], new AlertDeliveryOptions(), clock, NullLogger<AlertDispatcher>.Instance);
        alerts = new AlertBook(new AlertOptions { StateFile = stateFile.Path }, stateFile, dispatcher, directory, clock, NullLogger<AlertBook>.Instance);
        alerts.Restore();
        smoother = new ReadingSmoother(new SmoothingOptions { Method = SmoothingMethod.Ewma });
        filter = new ReportByExceptionFilter(new ReportingOptions { Deadbands = { ["temperature"] = new DeadbandOptions { Absolute = 0.5 } } });
        if (ReadingPath() == 0 || validator.Counts.Invalid != 0)
        {
            throw new InvalidOperationException("The benchmark's readings must be valid and some published; fix the data.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        dispatcher.DisposeAsync().AsTask().GetAwaiter().GetResult();
        stateFile.DisposeAsync().AsTask().GetAwaiter().GetResult();
        stateDirectory.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ReadingsPerOperation)]
    public int InlineThresholds()
    {
        var alerting = 0;
        foreach (var reading in readings)
        {
            var worst = 0;
            if (reading.TryGetValue(Quantity.Temperature, out var celsius))
            {
                worst = Math.Max(worst, celsius >= 32 || celsius <= 5 ? 2 : celsius >= 28 || celsius <= 10 ? 1 : 0);
            }

            if (reading.TryGetValue(Quantity.RelativeHumidity, out var humidity))
            {
                worst = Math.Max(worst, humidity >= 85 ? 2 : humidity >= 75 ? 1 : 0);
            }

            alerting += worst;
        }

        return alerting;
    }

    [Benchmark(OperationsPerInvoke = ReadingsPerOperation)]
    public int Classifier()
    {
        var alerting = 0;
        foreach (var reading in readings)
        {
            alerting += (int)classifier.Classify(reading, classification);
        }

        return alerting;
    }

    [Benchmark(OperationsPerInvoke = ReadingsPerOperation)]
    public int ReadingPath()
    {
        var published = 0;
        foreach (var reading in readings)
        {
            if (!validator.Validate(reading))
            {
                continue;
            }

            if (calibrator.Calibrate(reading) && !validator.ValidateCalibrated(reading))
            {
                continue;
            }

            if (pathClassifier.Classify(reading, classification) == ClassificationVerdict.Invalid)
            {
                continue;
            }

            alerts.OnClassified(classification);
            smoother.Smooth(reading);
            if (filter.ShouldPublish(reading, classification.AnyChanged))
            {
                published++;
            }
        }

        return published;
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
