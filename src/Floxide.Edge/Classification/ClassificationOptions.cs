using System.ComponentModel.DataAnnotations;
using Floxide.Edge.OptionRules;

namespace Floxide.Edge.Classification;

/// <summary>
/// How readings are validated, calibrated and classified: configuration section <c>Floxide:Classification</c>.
/// <see cref="Defaults"/> applies to every sensor; an entry of <see cref="Sensors"/> overrides it field by field for
/// one sensor id.
/// </summary>
public sealed class ClassificationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Floxide:Classification";

    /// <summary>How old a reading's timestamp may be, relative to the gateway's clock, before it is invalid.</summary>
    /// <value>1 second to 1 day. The default is 10 minutes.</value>
    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan MaxReadingAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far in the future a reading's timestamp may be (clock skew between producers and the gateway).</summary>
    /// <value>0 to 1 hour. The default is 5 seconds.</value>
    [DurationRange("00:00:00", "01:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The gateway's defaults, used for every field a sensor does not override.</summary>
    public SensorClassificationOptions Defaults { get; set; } = new();

    /// <summary>Per-sensor overrides, keyed by sensor id.</summary>
    public Dictionary<string, SensorClassificationOptions> Sensors { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Classification settings of one sensor, or the gateway's defaults. Every field is optional: a sensor's unset field
/// takes the default's value, and an unset default takes the built-in one.
/// </summary>
public sealed class SensorClassificationOptions
{
    /// <summary>Thresholds keyed by quantity name (<c>temperature</c>, <c>humidity</c>, <c>pressure</c>), in the quantity's canonical unit.</summary>
    public Dictionary<string, ThresholdOptions> Thresholds { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Calibration keyed by quantity name, applied before classification.</summary>
    public Dictionary<string, CalibrationOptions> Calibration { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The largest plausible change per minute, keyed by quantity name (e.g. <c>temperature: 5</c> for 5 °C/min). A
    /// reading that changed faster than this since the last accepted one is invalid (a spike).
    /// </summary>
    public Dictionary<string, double> RateOfChangeLimits { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many readings in a row must agree on a new state before the sensor enters it.</summary>
    /// <value>1 to 1 000. The built-in default is 1 (enter at once).</value>
    public int? HoldReadings { get; set; }

    /// <summary>How long readings must agree on a new state before the sensor enters it.</summary>
    /// <value>0 to 1 day. The built-in default is 0 (enter at once).</value>
    public TimeSpan? HoldTime { get; set; }

    /// <summary>
    /// After how many identical values in a row a quantity counts as stuck and the reading as suspect; 0 turns the
    /// check off.
    /// </summary>
    /// <value>0, or 2 to 100 000. The built-in default is 0 (off), since a DHT22 in a still room repeats values honestly.</value>
    public int? StuckReadings { get; set; }
}

/// <summary>
/// Thresholds of one quantity, in its canonical unit (°C, %, hPa). Each is optional; those set must ascend:
/// <see cref="LowCritical"/> &lt; <see cref="LowWarning"/> &lt; <see cref="HighWarning"/> &lt; <see cref="HighCritical"/>.
/// </summary>
public sealed class ThresholdOptions
{
    /// <summary>At or below this value the sensor is critical (low).</summary>
    public double? LowCritical { get; set; }

    /// <summary>At or below this value the sensor is in warning (low).</summary>
    public double? LowWarning { get; set; }

    /// <summary>At or above this value the sensor is in warning (high).</summary>
    public double? HighWarning { get; set; }

    /// <summary>At or above this value the sensor is critical (high).</summary>
    public double? HighCritical { get; set; }

    /// <summary>
    /// How far a value must move back past a threshold before the sensor leaves the state that threshold put it in,
    /// so a value hovering at a threshold does not flap.
    /// </summary>
    /// <value>0 or more, smaller than the normal band. The built-in default is 0.5 °C, 2 %RH or 1 hPa.</value>
    public double? Hysteresis { get; set; }
}

/// <summary>A linear calibration of one quantity: <c>corrected = raw × Gain + Offset</c>.</summary>
public sealed class CalibrationOptions
{
    /// <summary>Added after the gain, in the quantity's canonical unit.</summary>
    /// <value>The default is 0.</value>
    public double? Offset { get; set; }

    /// <summary>Multiplies the raw value.</summary>
    /// <value>0.5 to 2. The default is 1.</value>
    public double? Gain { get; set; }
}
