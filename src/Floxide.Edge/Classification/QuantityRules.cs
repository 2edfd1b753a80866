using Floxide.Edge.Readings;

namespace Floxide.Edge.Classification;

/// <summary>
/// The resolved thresholds of one quantity of one sensor (a sensor's override merged over the gateway's defaults).
/// An absent threshold is <see cref="double.NaN"/>, which no comparison crosses.
/// </summary>
/// <param name="LowCritical">At or below: critical (low).</param>
/// <param name="LowWarning">At or below: warning (low).</param>
/// <param name="HighWarning">At or above: warning (high).</param>
/// <param name="HighCritical">At or above: critical (high).</param>
/// <param name="Hysteresis">How far back past a threshold a value must move to leave its state.</param>
public readonly record struct Thresholds(double LowCritical, double LowWarning, double HighWarning, double HighCritical, double Hysteresis)
{
    /// <summary>No thresholds at all: every value is normal.</summary>
    public static Thresholds None { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN, 0);

    /// <summary><see langword="true"/> when at least one threshold is set.</summary>
    public bool Any => !double.IsNaN(LowCritical) || !double.IsNaN(LowWarning) || !double.IsNaN(HighWarning) || !double.IsNaN(HighCritical);

    /// <summary>The threshold whose crossing puts a value in <paramref name="zone"/>, or NaN for <see cref="ThresholdZone.Normal"/>.</summary>
    /// <param name="zone">A zone.</param>
    /// <returns>The threshold.</returns>
    public double For(ThresholdZone zone) => zone switch
    {
        ThresholdZone.CriticalLow => LowCritical,
        ThresholdZone.WarningLow => LowWarning,
        ThresholdZone.WarningHigh => HighWarning,
        ThresholdZone.CriticalHigh => HighCritical,
        _ => double.NaN,
    };
}

/// <summary>Everything classification needs to know about one quantity of one sensor, resolved from configuration.</summary>
/// <param name="Quantity">The quantity.</param>
/// <param name="Thresholds">Its thresholds.</param>
/// <param name="HoldReadings">Readings in a row that must agree on a new zone before it is entered: 1 or more.</param>
/// <param name="HoldTime">How long readings must agree on a new zone before it is entered.</param>
/// <param name="RateOfChangeLimitPerMinute">The largest plausible change per minute, or NaN for no limit.</param>
/// <param name="CalibrationOffset">Added after the gain.</param>
/// <param name="CalibrationGain">Multiplies the raw value.</param>
public sealed record QuantityRules(
    Quantity Quantity,
    Thresholds Thresholds,
    int HoldReadings,
    TimeSpan HoldTime,
    double RateOfChangeLimitPerMinute,
    double CalibrationOffset,
    double CalibrationGain)
{
    /// <summary><see langword="true"/> when calibration changes values.</summary>
    public bool Calibrates => CalibrationOffset != 0 || CalibrationGain != 1;

    /// <summary><see langword="true"/> when a rate-of-change limit applies.</summary>
    public bool LimitsRate => !double.IsNaN(RateOfChangeLimitPerMinute);
}

/// <summary>The resolved classification rules of one sensor.</summary>
public sealed class SensorRules
{
    private readonly QuantityRules[] quantities;

    /// <summary>Creates the rules.</summary>
    /// <param name="quantities">The rules of each quantity, indexed by <see cref="Quantity"/>.</param>
    /// <param name="stuckReadings">Identical values in a row that make a quantity stuck; 0 for no check.</param>
    public SensorRules(IReadOnlyList<QuantityRules> quantities, int stuckReadings)
    {
        ArgumentNullException.ThrowIfNull(quantities);
        this.quantities = new QuantityRules[Quantities.All.Count];
        foreach (var rules in quantities)
        {
            this.quantities[(int)rules.Quantity] = rules;
        }

        foreach (var quantity in QuantitySet.All)
        {
            this.quantities[(int)quantity] ??= new QuantityRules(quantity, Thresholds.None, 1, TimeSpan.Zero, double.NaN, 0, 1);
        }

        StuckReadings = stuckReadings;
        LimitsAnyRate = this.quantities.Any(rules => rules.LimitsRate);
    }

    /// <summary><see langword="true"/> when some quantity has a rate-of-change limit.</summary>
    public bool LimitsAnyRate { get; }

    /// <summary>Identical values in a row that make a quantity stuck; 0 when the check is off.</summary>
    public int StuckReadings { get; }

    /// <summary>The rules of <paramref name="quantity"/>.</summary>
    /// <param name="quantity">A quantity.</param>
    /// <returns>Its rules.</returns>
    public QuantityRules For(Quantity quantity) => quantities[(int)quantity];
}
