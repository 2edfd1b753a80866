namespace Floxide.Edge.Classification;

/// <summary>
/// The zone of one quantity of one sensor, moved by readings through hysteresis and a minimum hold: the state
/// machine behind classification, kept as a value so a sensor's trackers live in one array without allocation.
/// </summary>
/// <remarks>
/// <para>A value enters a more severe zone when it reaches that zone's threshold, and leaves a zone only once it has
/// moved back past the threshold by the hysteresis; so a value that stays inside a hysteresis band never changes the
/// zone, whichever side it entered from.</para>
/// <para>A new zone is entered only when <see cref="QuantityRules.HoldReadings"/> readings in a row, spanning at
/// least <see cref="QuantityRules.HoldTime"/>, point away from the current zone in the same direction; the zone
/// entered is the one closest to the current zone among those they pointed at, so a value wavering between warning
/// and critical still enters warning.</para>
/// </remarks>
public struct ThresholdTracker
{
    private ThresholdZone pending;
    private int pendingCount;
    private DateTimeOffset pendingSince;

    /// <summary>Creates a tracker in <paramref name="zone"/>, e.g. restored from an active alert.</summary>
    /// <param name="zone">The starting zone.</param>
    public ThresholdTracker(ThresholdZone zone) => Zone = zone;

    /// <summary>The current zone.</summary>
    public ThresholdZone Zone { get; private set; }

    /// <summary>The zone a value points at from the current zone, with hysteresis but before the hold.</summary>
    /// <param name="value">The value.</param>
    /// <param name="current">The current zone.</param>
    /// <param name="thresholds">The thresholds.</param>
    /// <returns>The zone.</returns>
    public static ThresholdZone Candidate(double value, ThresholdZone current, in Thresholds thresholds)
    {
        var band = thresholds.Hysteresis;
        if (value >= thresholds.HighCritical || (current >= ThresholdZone.CriticalHigh && value > thresholds.HighCritical - band))
        {
            return ThresholdZone.CriticalHigh;
        }

        if (value >= thresholds.HighWarning || (current >= ThresholdZone.WarningHigh && value > thresholds.HighWarning - band))
        {
            return ThresholdZone.WarningHigh;
        }

        if (value <= thresholds.LowCritical || (current <= ThresholdZone.CriticalLow && value < thresholds.LowCritical + band))
        {
            return ThresholdZone.CriticalLow;
        }

        if (value <= thresholds.LowWarning || (current <= ThresholdZone.WarningLow && value < thresholds.LowWarning + band))
        {
            return ThresholdZone.WarningLow;
        }

        return ThresholdZone.Normal;
    }

    /// <summary>Moves the tracker with one reading's value.</summary>
    /// <param name="value">The value, finite.</param>
    /// <param name="timestamp">When it was measured.</param>
    /// <param name="rules">The quantity's rules.</param>
    /// <returns><see langword="true"/> when the zone changed.</returns>
    public bool Observe(double value, DateTimeOffset timestamp, QuantityRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var candidate = Candidate(value, Zone, rules.Thresholds);
        if (candidate == Zone)
        {
            pendingCount = 0;
            return false;
        }

        var step = (int)candidate - (int)Zone;
        if (pendingCount > 0 && Math.Sign(step) == Math.Sign((int)pending - (int)Zone))
        {
            pendingCount++;
            if (Math.Abs(step) < Math.Abs((int)pending - (int)Zone))
            {
                pending = candidate;
            }
        }
        else
        {
            pending = candidate;
            pendingCount = 1;
            pendingSince = timestamp;
        }

        if (pendingCount < rules.HoldReadings || timestamp - pendingSince < rules.HoldTime)
        {
            return false;
        }

        Zone = pending;
        pendingCount = 0;
        return true;
    }
}
