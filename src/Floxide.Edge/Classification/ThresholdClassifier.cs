using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.InteropServices;
using Floxide.Edge.Readings;
using Floxide.Edge.Telemetry;

namespace Floxide.Edge.Classification;

/// <summary>
/// Classifies each valid, calibrated reading against its sensor's thresholds with hysteresis and minimum hold
/// (<see cref="ThresholdTracker"/>), after rejecting spikes that break the sensor's rate-of-change limit.
/// </summary>
/// <remarks>
/// <para>Rate of change is measured against the last accepted value, so a one-reading spike is rejected on the way
/// up and the next normal reading is accepted; a real step is rejected once and then confirmed, because a reading
/// that agrees with the rejected one before it is accepted.</para>
/// <para>Called from the workflow loop only; <see cref="Reconfigure"/> may be called from any thread, and keeps every
/// sensor's zone, so a reload neither raises nor clears alerts by itself.</para>
/// </remarks>
public sealed class ThresholdClassifier
{
    private readonly Dictionary<string, SensorTrack> tracks = new(StringComparer.Ordinal);
    private readonly Counter<long> invalidCounter;
    private ClassificationSettings settings;

    /// <summary>Creates a classifier.</summary>
    /// <param name="settings">The compiled classification settings.</param>
    /// <param name="counts">Where rate-of-change rejections are counted; typically the validator's <see cref="ReadingValidator.Counts"/>.</param>
    /// <param name="meter">The meter for <c>floxide.readings.invalid</c>.</param>
    public ThresholdClassifier(ClassificationSettings settings, ReadingCounts? counts = null, Meter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.settings = settings;
        Counts = counts ?? new ReadingCounts();
        invalidCounter = (meter ?? EdgeMeter.Default).CreateCounter<long>("floxide.readings.invalid", "{reading}", "Readings judged invalid, by cause.");
    }

    /// <summary>Where rate-of-change rejections are counted.</summary>
    public ReadingCounts Counts { get; }

    /// <summary>Takes new settings, keeping every sensor's zone; the next reading is judged with the new thresholds.</summary>
    /// <param name="settings">The new settings.</param>
    public void Reconfigure(ClassificationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref this.settings, settings);
    }

    /// <summary>Puts a sensor's quantity in <paramref name="zone"/>, e.g. from an alert that was active before a restart.</summary>
    /// <param name="sensorId">The sensor.</param>
    /// <param name="quantity">The quantity.</param>
    /// <param name="zone">The zone.</param>
    public void Restore(string sensorId, Quantity quantity, ThresholdZone zone)
    {
        ArgumentException.ThrowIfNullOrEmpty(sensorId);
        Track(sensorId).Trackers[(int)quantity] = new ThresholdTracker(zone);
    }

    /// <summary>Drops a removed sensor's zones and rate-of-change tracking; were it added again, it would start normal.</summary>
    /// <param name="sensorId">The sensor.</param>
    public void Forget(string sensorId)
    {
        ArgumentNullException.ThrowIfNull(sensorId);
        tracks.Remove(sensorId);
    }

    /// <summary>The number of sensors the classifier keeps zones for.</summary>
    internal int TrackedSensors => tracks.Count;

    /// <summary>The current zone of a sensor's quantity.</summary>
    /// <param name="sensorId">The sensor.</param>
    /// <param name="quantity">The quantity.</param>
    /// <returns>The zone; normal for a sensor not seen yet.</returns>
    public ThresholdZone ZoneOf(string sensorId, Quantity quantity) =>
        tracks.TryGetValue(sensorId, out var track) ? track.Trackers[(int)quantity].Zone : ThresholdZone.Normal;

    /// <summary>Classifies <paramref name="reading"/>, recording the outcome per quantity in <paramref name="result"/>.</summary>
    /// <param name="reading">A valid, calibrated reading; marked invalid when it is a spike.</param>
    /// <param name="result">Receives the outcome.</param>
    /// <returns>The verdict.</returns>
    public ClassificationVerdict Classify(SensorReading reading, ReadingClassification result)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(result);
        result.Begin(reading);
        var track = Track(reading.SensorId);
        var rules = track.RulesFor(Volatile.Read(ref settings), reading.SensorId);

        // Each value is read once: a UnitsNet conversion per read is the costliest step of this path.
        Span<double> values = stackalloc double[QuantitySet.All.Length];
        Span<bool> measured = stackalloc bool[QuantitySet.All.Length];
        foreach (var quantity in QuantitySet.All)
        {
            measured[(int)quantity] = reading.TryGetValue(quantity, out values[(int)quantity]);
        }

        if (rules.LimitsAnyRate && !PassesRateLimits(reading, rules, track, values, measured))
        {
            return ClassificationVerdict.Invalid;
        }

        foreach (var quantity in QuantitySet.All)
        {
            if (!measured[(int)quantity])
            {
                continue;
            }

            var value = values[(int)quantity];
            var quantityRules = rules.For(quantity);
            ref var tracker = ref track.Trackers[(int)quantity];
            var previous = tracker.Zone;
            if (quantityRules.Thresholds.Any || previous != ThresholdZone.Normal)
            {
                tracker.Observe(value, reading.Timestamp, quantityRules);
            }

            var zone = tracker.Zone;
            var threshold = quantityRules.Thresholds.For(zone == ThresholdZone.Normal ? previous : zone);
            result.Set(quantity, new QuantityClassification(true, value, zone, previous, threshold));
        }

        return result.Severity switch
        {
            Severity.Critical => ClassificationVerdict.Critical,
            Severity.Warning => ClassificationVerdict.Warning,
            _ => ClassificationVerdict.Normal,
        };
    }

    private bool PassesRateLimits(SensorReading reading, SensorRules rules, SensorTrack track, ReadOnlySpan<double> values, ReadOnlySpan<bool> measured)
    {
        var passes = true;
        foreach (var quantity in QuantitySet.All)
        {
            var quantityRules = rules.For(quantity);
            if (!quantityRules.LimitsRate || !measured[(int)quantity])
            {
                continue;
            }

            var value = values[(int)quantity];
            ref var rate = ref track.Rates[(int)quantity];
            var limit = quantityRules.RateOfChangeLimitPerMinute;
            if (!rate.HasAccepted
                || Within(rate.AcceptedValue, rate.AcceptedAt, value, reading.Timestamp, limit, out var perMinute)
                || (rate.HasRejected && Within(rate.RejectedValue, rate.RejectedAt, value, reading.Timestamp, limit, out _)))
            {
                continue;
            }

            rate.HasRejected = true;
            rate.RejectedValue = value;
            rate.RejectedAt = reading.Timestamp;
            if (passes)
            {
                passes = false;
                reading.Quality = ReadingQuality.Invalid;
                reading.QualityReason = string.Create(CultureInfo.InvariantCulture,
                    $"{InvalidReason.RateOfChange.Name()}: {quantity.Name()} changed {perMinute:0.##} {quantity.Unit()}/min, more than the {limit:0.##} {quantity.Unit()}/min limit");
            }
        }

        if (!passes)
        {
            Counts.Add(InvalidReason.RateOfChange);
            if (invalidCounter.Enabled)
            {
                invalidCounter.Add(1, new(FloxideTelemetry.Tags.SensorId, reading.SensorId), new(FloxideTelemetry.Tags.Cause, InvalidReason.RateOfChange.Name()));
            }

            return false;
        }

        foreach (var quantity in QuantitySet.All)
        {
            if (rules.For(quantity).LimitsRate && measured[(int)quantity])
            {
                ref var rate = ref track.Rates[(int)quantity];
                rate.HasAccepted = true;
                rate.AcceptedValue = values[(int)quantity];
                rate.AcceptedAt = reading.Timestamp;
                rate.HasRejected = false;
            }
        }

        return true;
    }

    private static bool Within(double from, DateTimeOffset fromTime, double to, DateTimeOffset toTime, double limitPerMinute, out double perMinute)
    {
        var minutes = (toTime - fromTime).TotalMinutes;
        if (minutes <= 0)
        {
            // Out-of-order or same-instant readings give no rate; judge them by the next one instead.
            perMinute = 0;
            return true;
        }

        perMinute = Math.Abs(to - from) / minutes;
        return perMinute <= limitPerMinute;
    }

    private SensorTrack Track(string sensorId)
    {
        ref var track = ref CollectionsMarshal.GetValueRefOrAddDefault(tracks, sensorId, out _);
        return track ??= new SensorTrack();
    }

    private struct RateTrack
    {
        public bool HasAccepted;
        public double AcceptedValue;
        public DateTimeOffset AcceptedAt;
        public bool HasRejected;
        public double RejectedValue;
        public DateTimeOffset RejectedAt;
    }

    private sealed class SensorTrack
    {
        private ClassificationSettings? resolvedFrom;
        private SensorRules? rules;

        /// <summary>The sensor's rules, resolved once per settings object rather than looked up per reading.</summary>
        public SensorRules RulesFor(ClassificationSettings settings, string sensorId)
        {
            if (!ReferenceEquals(settings, resolvedFrom))
            {
                rules = settings.For(sensorId);
                resolvedFrom = settings;
            }

            return rules!;
        }

        public ThresholdTracker[] Trackers { get; } = new ThresholdTracker[Quantities.All.Count];

        public RateTrack[] Rates { get; } = new RateTrack[Quantities.All.Count];
    }
}
