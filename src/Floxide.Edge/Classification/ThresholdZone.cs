namespace Floxide.Edge.Classification;

/// <summary>
/// Where a value stands against its thresholds. The numeric values order the zones from coldest to hottest, so the
/// sign is the direction and the magnitude the severity.
/// </summary>
public enum ThresholdZone
{
    /// <summary>At or below the low critical threshold.</summary>
    CriticalLow = -2,

    /// <summary>At or below the low warning threshold.</summary>
    WarningLow = -1,

    /// <summary>Between the warning thresholds.</summary>
    Normal = 0,

    /// <summary>At or above the high warning threshold.</summary>
    WarningHigh = 1,

    /// <summary>At or above the high critical threshold.</summary>
    CriticalHigh = 2,
}

/// <summary>How severe a reading or an alert is.</summary>
public enum Severity
{
    /// <summary>Nothing to report.</summary>
    Normal = 0,

    /// <summary>Needs attention.</summary>
    Warning = 1,

    /// <summary>Needs action now.</summary>
    Critical = 2,
}

/// <summary>Helpers for <see cref="ThresholdZone"/>.</summary>
public static class ThresholdZones
{
    /// <summary>The zone's severity.</summary>
    /// <param name="zone">The zone.</param>
    /// <returns><see cref="Severity.Normal"/>, <see cref="Severity.Warning"/> or <see cref="Severity.Critical"/>.</returns>
    public static Severity Severity(this ThresholdZone zone) => (Severity)Math.Abs((int)zone);

    /// <summary>The zone's name as used in logs and payloads: <c>critical-low</c> … <c>critical-high</c>.</summary>
    /// <param name="zone">The zone.</param>
    /// <returns>The name.</returns>
    public static string Name(this ThresholdZone zone) => zone switch
    {
        ThresholdZone.CriticalLow => "critical-low",
        ThresholdZone.WarningLow => "warning-low",
        ThresholdZone.Normal => "normal",
        ThresholdZone.WarningHigh => "warning-high",
        ThresholdZone.CriticalHigh => "critical-high",
        _ => throw new ArgumentOutOfRangeException(nameof(zone), zone, null),
    };

    /// <summary>The severity's name as used in logs and payloads: <c>normal</c>, <c>warning</c>, <c>critical</c>.</summary>
    /// <param name="severity">The severity.</param>
    /// <returns>The name.</returns>
    public static string Name(this Severity severity) => severity switch
    {
        Classification.Severity.Normal => "normal",
        Classification.Severity.Warning => "warning",
        Classification.Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };
}
