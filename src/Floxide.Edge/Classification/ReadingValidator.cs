using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.InteropServices;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Telemetry;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Classification;

/// <summary>
/// Judges each reading: invalid when a value is NaN, infinite or outside the physical range of the sensor's device
/// profile, when the timestamp is in the future or too old, or when the sensor is unknown; suspect when a value has
/// been stuck for the configured number of reads; good otherwise. Sets <see cref="SensorReading.Quality"/> and
/// <see cref="SensorReading.QualityReason"/>, counts every verdict that is not good, and never throws for bad input.
/// </summary>
/// <remarks>Called from the workflow loop only; <see cref="Reconfigure"/> may be called from any thread.</remarks>
public sealed partial class ReadingValidator
{
    private readonly SensorDirectory directory;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<ReadingValidator> logger;
    private readonly Counter<long> invalidCounter;
    private readonly Counter<long> suspectCounter;
    private readonly Dictionary<string, StuckTrack> stuck = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> logged = new(StringComparer.Ordinal);
    private ClassificationSettings settings;
    private DateTimeOffset? unknownLoggedAt;
    private long unknownSuppressed;

    /// <summary>Creates a validator.</summary>
    /// <param name="settings">The compiled classification settings.</param>
    /// <param name="directory">The known sensors and their physical ranges.</param>
    /// <param name="timeProvider">The gateway's clock, to judge timestamps.</param>
    /// <param name="logger">Logs the first invalid reading of each known sensor and reason, and readings of unknown sensors at most once per <see cref="UnknownSensorLogInterval"/>.</param>
    /// <param name="meter">The meter for <c>floxide.readings.invalid</c> and <c>floxide.readings.suspect</c>.</param>
    public ReadingValidator(ClassificationSettings settings, SensorDirectory directory, TimeProvider timeProvider, ILogger<ReadingValidator> logger, Meter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.settings = settings;
        this.directory = directory;
        this.timeProvider = timeProvider;
        this.logger = logger;
        meter ??= EdgeMeter.Default;
        invalidCounter = meter.CreateCounter<long>("floxide.readings.invalid", "{reading}", "Readings judged invalid, by cause.");
        suspectCounter = meter.CreateCounter<long>("floxide.readings.suspect", "{reading}", "Readings judged suspect, by cause.");
    }

    /// <summary>How far beyond 0–100 % a calibrated relative humidity is clamped to the bound rather than judged invalid: 5 %RH.</summary>
    public const double HumidityClampTolerance = 5;

    /// <summary>How often, at most, readings of unknown sensors are logged: 10 minutes. The rest are counted, under <c>sensor.id=unknown</c>.</summary>
    public static readonly TimeSpan UnknownSensorLogInterval = TimeSpan.FromMinutes(10);

    /// <summary>Counts per reason since start.</summary>
    public ReadingCounts Counts { get; } = new();

    /// <summary>The sensors the validator keeps state for (stuck values, reasons already logged): known sensors only.</summary>
    internal int TrackedSensors => logged.Keys.Union(stuck.Keys).Count();

    /// <summary>Takes new settings; stuck-value tracking carries on.</summary>
    /// <param name="settings">The new settings.</param>
    public void Reconfigure(ClassificationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref this.settings, settings);
    }

    /// <summary>Drops what is kept about a sensor that was removed: its stuck-value tracking and the reasons already logged.</summary>
    /// <param name="sensorId">The sensor.</param>
    public void Forget(string sensorId)
    {
        ArgumentNullException.ThrowIfNull(sensorId);
        stuck.Remove(sensorId);
        logged.Remove(sensorId);
    }

    /// <summary>Judges <paramref name="reading"/> and records the verdict on it.</summary>
    /// <param name="reading">The reading; its quality and reason are set.</param>
    /// <returns><see langword="false"/> when the reading is invalid.</returns>
    public bool Validate(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var current = Volatile.Read(ref settings);
        // The sensor first: whatever else is wrong with a reading of an unknown sensor, it is counted and logged as
        // unknown, so stray ids leave no per-id state behind.
        if (!directory.TryGet(reading.SensorId, out var sensor))
        {
            return Reject(reading, InvalidReason.UnknownSensor, "the sensor is not configured or registered");
        }

        if (reading.Quality == ReadingQuality.Invalid)
        {
            // Marked by its producer through ReadingValues.TrySetValue: UnitsNet cannot hold NaN or infinity.
            return Reject(reading, InvalidReason.NotANumber, reading.QualityReason ?? "marked invalid by its producer");
        }

        var now = timeProvider.GetUtcNow();
        if (reading.Timestamp > now + current.MaxClockSkew)
        {
            return Reject(reading, InvalidReason.InFuture,
                string.Create(CultureInfo.InvariantCulture, $"timestamp {reading.Timestamp:O} is {(reading.Timestamp - now).TotalSeconds:0.#} s ahead of the gateway's clock"));
        }

        if (reading.Timestamp < now - current.MaxReadingAge)
        {
            return Reject(reading, InvalidReason.TooOld,
                string.Create(CultureInfo.InvariantCulture, $"timestamp {reading.Timestamp:O} is {(now - reading.Timestamp).TotalSeconds:0.#} s old, more than {current.MaxReadingAge}"));
        }

        var any = false;
        foreach (var quantity in QuantitySet.All)
        {
            if (!reading.TryGetValue(quantity, out var value))
            {
                continue;
            }

            any = true;
            if (!double.IsFinite(value))
            {
                return Reject(reading, InvalidReason.NotANumber, $"{quantity.Name()} is {value.ToString(CultureInfo.InvariantCulture)}");
            }

            if (sensor.Ranges.TryGetValue(quantity, out var range) && !range.Contains(value))
            {
                return Reject(reading, InvalidReason.OutOfRange,
                    string.Create(CultureInfo.InvariantCulture, $"{quantity.Name()} {value:0.##} {quantity.Unit()} is outside the {sensor.Model} range {range} {quantity.Unit()}"));
            }
        }

        if (!any)
        {
            return Reject(reading, InvalidReason.NoValues, "the reading carries no value");
        }

        reading.Quality = ReadingQuality.Good;
        reading.QualityReason = null;
        var rules = current.For(reading.SensorId);
        if (rules.StuckReadings > 0)
        {
            CheckStuck(reading, rules.StuckReadings);
        }

        return true;
    }

    /// <summary>
    /// Judges a reading again after calibration: a calibrated value outside the chip's physical range is invalid, since
    /// it says the calibration is wrong, not the air. Relative humidity within
    /// <see cref="HumidityClampTolerance"/> beyond 0–100 % is clamped to the bound instead, as the chips' own
    /// conversions clamp their output (BME280, SHT3x, Si7021 datasheets), so that an offset does not drop every reading
    /// of saturated air.
    /// </summary>
    /// <param name="reading">A reading that passed <see cref="Validate"/> and was then calibrated.</param>
    /// <returns><see langword="false"/> when the reading is now invalid.</returns>
    public bool ValidateCalibrated(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (!directory.TryGet(reading.SensorId, out var sensor))
        {
            return Reject(reading, InvalidReason.UnknownSensor, "the sensor was removed while its reading was on its way");
        }

        if (reading.Quality == ReadingQuality.Invalid)
        {
            // Calibration overflowed a value to infinity; ReadingValues marked the reading.
            return Reject(reading, InvalidReason.NotANumber, (reading.QualityReason ?? "calibration made a value infinite") + " after calibration");
        }

        var rules = Volatile.Read(ref settings).For(reading.SensorId);
        foreach (var quantity in QuantitySet.All)
        {
            var quantityRules = rules.For(quantity);
            if (!quantityRules.Calibrates || !reading.TryGetValue(quantity, out var value))
            {
                continue;
            }

            if (quantity == Quantity.RelativeHumidity && (value is < 0 and >= -HumidityClampTolerance || value is > 100 and <= 100 + HumidityClampTolerance))
            {
                value = Math.Clamp(value, 0, 100);
                reading.SetValue(quantity, value);
            }

            if (sensor.Ranges.TryGetValue(quantity, out var range) && !range.Contains(value))
            {
                var raw = (value - quantityRules.CalibrationOffset) / quantityRules.CalibrationGain;
                return Reject(reading, InvalidReason.OutOfRange, string.Create(CultureInfo.InvariantCulture,
                    $"{quantity.Name()} {value:0.##} {quantity.Unit()} after calibration (raw {raw:0.##} {quantity.Unit()} × {quantityRules.CalibrationGain:0.###} + {quantityRules.CalibrationOffset:0.###}) " +
                    $"is outside the {sensor.Model} range {range} {quantity.Unit()}; check the {quantity.Name()} calibration of {reading.SensorId} " +
                    $"({ClassificationOptions.SectionName}:Sensors:{reading.SensorId}:Calibration:{quantity.Name()}, or Defaults)"));
            }
        }

        return true;
    }

    private void CheckStuck(SensorReading reading, int limit)
    {
        ref var track = ref CollectionsMarshal.GetValueRefOrAddDefault(stuck, reading.SensorId, out _);
        track ??= new StuckTrack();
        foreach (var quantity in QuantitySet.All)
        {
            if (!reading.TryGetValue(quantity, out var value))
            {
                continue;
            }

            ref var last = ref track.Last[(int)quantity];
            ref var repeats = ref track.Repeats[(int)quantity];
            repeats = value.Equals(last) ? repeats + 1 : 1;
            last = value;
            if (repeats >= limit)
            {
                reading.Quality = ReadingQuality.Suspect;
                reading.QualityReason = track.Reasons[(int)quantity] ??= $"stuck: {quantity.Name()} unchanged for {limit} readings or more";
                Counts.Add(InvalidReason.Stuck);
                if (suspectCounter.Enabled)
                {
                    suspectCounter.Add(1, new(FloxideTelemetry.Tags.SensorId, reading.SensorId), new(FloxideTelemetry.Tags.Cause, "stuck"));
                }

                if (repeats == limit)
                {
                    LogStuck(reading.SensorId, quantity.Name(), value, limit);
                }
            }
            else
            {
                track.Reasons[(int)quantity] = null;
            }
        }
    }

    private bool Reject(SensorReading reading, InvalidReason reason, string detail)
    {
        var prefix = reason.Name() + ": ";
        reading.Quality = ReadingQuality.Invalid;
        reading.QualityReason = detail.StartsWith(prefix, StringComparison.Ordinal) ? detail : prefix + detail;
        Counts.Add(reason);
        var unknown = reason == InvalidReason.UnknownSensor;
        if (invalidCounter.Enabled)
        {
            invalidCounter.Add(1, new(FloxideTelemetry.Tags.SensorId, unknown ? SensorTags.Unknown : reading.SensorId), new(FloxideTelemetry.Tags.Cause, reason.Name()));
        }

        if (unknown)
        {
            LogUnknownRateLimited(reading.SensorId, detail);
        }
        else
        {
            ref var reasons = ref CollectionsMarshal.GetValueRefOrAddDefault(logged, reading.SensorId, out _);
            var bit = 1 << (int)reason;
            if ((reasons & bit) == 0)
            {
                reasons |= bit;
                LogFirstInvalid(reading.SensorId, reason.Name(), detail);
            }
        }

        return false;
    }

    private void LogUnknownRateLimited(string sensorId, string detail)
    {
        // One line per interval however many ids misbehave: the ids are the producers' to choose, the log is not.
        var now = timeProvider.GetUtcNow();
        if (unknownLoggedAt is { } last && now - last < UnknownSensorLogInterval)
        {
            unknownSuppressed++;
            return;
        }

        LogUnknownSensor(sensorId, detail, unknownSuppressed, UnknownSensorLogInterval);
        unknownLoggedAt = now;
        unknownSuppressed = 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor {SensorId} sent an invalid reading ({Cause}): {Detail}. Further readings invalid for this cause are counted in floxide.readings.invalid, not logged.")]
    private partial void LogFirstInvalid(string sensorId, string cause, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reading of unknown sensor {SensorId} was dropped ({Detail}); {Suppressed} more readings of unknown sensors were dropped since the last such message. " +
        "At most one such message is logged per {Interval}; every one is counted in floxide.readings.invalid (cause unknown-sensor, sensor.id unknown). Configure the sensor, or fix the producer's id.")]
    private partial void LogUnknownSensor(string sensorId, string detail, long suppressed, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor {SensorId} looks stuck: {Quantity} has read {Value} for {Count} readings in a row; its readings are marked suspect until the value changes.")]
    private partial void LogStuck(string sensorId, string quantity, double value, int count);

    private sealed class StuckTrack
    {
        public double[] Last { get; } = [.. Quantities.All.Select(_ => double.NaN)];

        public int[] Repeats { get; } = new int[Quantities.All.Count];

        public string?[] Reasons { get; } = new string?[Quantities.All.Count];
    }
}
