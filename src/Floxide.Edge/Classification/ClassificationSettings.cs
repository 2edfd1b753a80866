using System.Collections.Frozen;
using System.Globalization;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Classification;

/// <summary>
/// <see cref="ClassificationOptions"/> compiled for use on the hot path: each configured sensor's overrides merged
/// over the gateway's defaults and the built-in defaults, checked once. Immutable, so a reload swaps the whole object.
/// </summary>
public sealed class ClassificationSettings
{
    private const string Section = ClassificationOptions.SectionName;

    private readonly FrozenDictionary<string, SensorRules> sensors;

    private ClassificationSettings(ClassificationOptions options, SensorRules defaults, FrozenDictionary<string, SensorRules> sensors)
    {
        MaxReadingAge = options.MaxReadingAge;
        MaxClockSkew = options.MaxClockSkew;
        Defaults = defaults;
        this.sensors = sensors;
    }

    /// <summary>How old a reading may be before it is invalid.</summary>
    public TimeSpan MaxReadingAge { get; }

    /// <summary>How far in the future a reading may be before it is invalid.</summary>
    public TimeSpan MaxClockSkew { get; }

    /// <summary>The rules of sensors that have no override.</summary>
    public SensorRules Defaults { get; }

    /// <summary>The built-in hysteresis of a quantity: 0.5 °C, 2 %RH, 1 hPa.</summary>
    /// <param name="quantity">The quantity.</param>
    /// <returns>The hysteresis, in the quantity's canonical unit.</returns>
    public static double BuiltInHysteresis(Quantity quantity) => quantity switch
    {
        Quantity.Temperature => 0.5,
        Quantity.RelativeHumidity => 2,
        _ => 1,
    };

    /// <summary>The rules of <paramref name="sensorId"/>: its override, or the defaults.</summary>
    /// <param name="sensorId">A sensor id.</param>
    /// <returns>The sensor's rules.</returns>
    public SensorRules For(string sensorId) => sensors.TryGetValue(sensorId, out var rules) ? rules : Defaults;

    /// <summary>Compiles <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem with its key, value and fix.</exception>
    public static ClassificationSettings Create(ClassificationOptions options)
    {
        var problems = Validate(options, out var settings);
        return problems.Count == 0
            ? settings!
            : throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
    }

    /// <summary>Checks <paramref name="options"/> and compiles them when they are valid.</summary>
    /// <param name="options">The options.</param>
    /// <param name="settings">The compiled settings, when there are no problems.</param>
    /// <returns>Every problem, each naming the key, the value and the fix; empty when valid.</returns>
    public static IReadOnlyList<string> Validate(ClassificationOptions options, out ClassificationSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.MaxReadingAge <= TimeSpan.Zero || options.MaxReadingAge > TimeSpan.FromDays(1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:MaxReadingAge is {options.MaxReadingAge}; set 00:00:01 to 1.00:00:00."));
        }

        if (options.MaxClockSkew < TimeSpan.Zero || options.MaxClockSkew > TimeSpan.FromHours(1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:MaxClockSkew is {options.MaxClockSkew}; set 00:00:00 to 01:00:00."));
        }

        var defaults = options.Defaults ?? new SensorClassificationOptions();
        var empty = new SensorClassificationOptions();
        CheckQuantityNames(defaults, $"{Section}:Defaults", problems);
        var defaultRules = Resolve(empty, $"{Section}:Defaults", defaults, $"{Section}:Defaults", problems);
        var perSensor = new Dictionary<string, SensorRules>(StringComparer.Ordinal);
        foreach (var (sensorId, sensor) in options.Sensors ?? [])
        {
            if (string.IsNullOrWhiteSpace(sensorId))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:Sensors has an entry with an empty sensor id; key each override by the sensor's configured id."));
                continue;
            }

            perSensor[sensorId] = Resolve(sensor ?? empty, $"{Section}:Sensors:{sensorId}", defaults, $"{Section}:Defaults", problems);
        }

        settings = problems.Count == 0 ? new ClassificationSettings(options, defaultRules, perSensor.ToFrozenDictionary(StringComparer.Ordinal)) : null;
        return problems;
    }

    private static SensorRules Resolve(SensorClassificationOptions sensor, string sensorKey, SensorClassificationOptions defaults, string defaultKey, List<string> problems)
    {
        CheckQuantityNames(sensor, sensorKey, problems);
        var hold = Pick(sensor.HoldReadings, defaults.HoldReadings, 1, sensorKey, defaultKey, "HoldReadings");
        if (hold.Value is < 1 or > 1_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{hold.Key} is {hold.Value}; set 1 to 1000 readings (1 enters a new state at once)."));
        }

        var holdTime = Pick(sensor.HoldTime, defaults.HoldTime, TimeSpan.Zero, sensorKey, defaultKey, "HoldTime");
        if (holdTime.Value < TimeSpan.Zero || holdTime.Value > TimeSpan.FromDays(1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{holdTime.Key} is {holdTime.Value}; set 00:00:00 to 1.00:00:00."));
        }

        var stuck = Pick(sensor.StuckReadings, defaults.StuckReadings, 0, sensorKey, defaultKey, "StuckReadings");
        if (stuck.Value is < 0 or 1 or > 100_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{stuck.Key} is {stuck.Value}; set 0 to turn the stuck-value check off, or 2 to 100000 identical readings."));
        }

        var rules = new List<QuantityRules>();
        foreach (var quantity in QuantitySet.All)
        {
            rules.Add(ResolveQuantity(quantity, sensor, sensorKey, defaults, defaultKey, hold.Value, holdTime.Value, problems));
        }

        return new SensorRules(rules, stuck.Value);
    }

    private static QuantityRules ResolveQuantity(
        Quantity quantity, SensorClassificationOptions sensor, string sensorKey, SensorClassificationOptions defaults, string defaultKey,
        int hold, TimeSpan holdTime, List<string> problems)
    {
        var name = quantity.Name();
        var own = sensor.Thresholds?.GetValueOrDefault(name);
        var inherited = defaults.Thresholds?.GetValueOrDefault(name);
        var thresholdKey = $"Thresholds:{name}";
        var lowCritical = Pick(own?.LowCritical, inherited?.LowCritical, double.NaN, sensorKey, defaultKey, $"{thresholdKey}:LowCritical");
        var lowWarning = Pick(own?.LowWarning, inherited?.LowWarning, double.NaN, sensorKey, defaultKey, $"{thresholdKey}:LowWarning");
        var highWarning = Pick(own?.HighWarning, inherited?.HighWarning, double.NaN, sensorKey, defaultKey, $"{thresholdKey}:HighWarning");
        var highCritical = Pick(own?.HighCritical, inherited?.HighCritical, double.NaN, sensorKey, defaultKey, $"{thresholdKey}:HighCritical");
        var hysteresis = Pick(own?.Hysteresis, inherited?.Hysteresis, BuiltInHysteresis(quantity), sensorKey, defaultKey, $"{thresholdKey}:Hysteresis");

        var ordered = new[] { lowCritical, lowWarning, highWarning, highCritical };
        foreach (var threshold in ordered)
        {
            if (threshold.Key is not null && !double.IsFinite(threshold.Value))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{threshold.Key} is {Format(threshold.Value)}; set a finite number in {quantity.Unit()}, or remove the key."));
            }
        }

        var set = ordered.Where(threshold => double.IsFinite(threshold.Value)).ToList();
        for (var i = 1; i < set.Count; i++)
        {
            if (set[i - 1].Value >= set[i].Value)
            {
                problems.Add(
                    $"{set[i - 1].Key} is {Format(set[i - 1].Value)} {quantity.Unit()}, not below {set[i].Key} = {Format(set[i].Value)} {quantity.Unit()}; " +
                    "thresholds must ascend LowCritical < LowWarning < HighWarning < HighCritical: lower the first or raise the second.");
            }
        }

        if (!double.IsFinite(hysteresis.Value) || hysteresis.Value < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{hysteresis.Key} is {Format(hysteresis.Value)}; set 0 or a positive number of {quantity.Unit()}."));
        }
        else
        {
            var highestLow = double.IsFinite(lowWarning.Value) ? lowWarning : lowCritical;
            var lowestHigh = double.IsFinite(highWarning.Value) ? highWarning : highCritical;
            if (double.IsFinite(highestLow.Value) && double.IsFinite(lowestHigh.Value) && hysteresis.Value >= lowestHigh.Value - highestLow.Value)
            {
                problems.Add(
                    $"{hysteresis.Key} is {Format(hysteresis.Value)} {quantity.Unit()}, as wide as the normal band from {highestLow.Key} = {Format(highestLow.Value)} " +
                    $"to {lowestHigh.Key} = {Format(lowestHigh.Value)}; set a hysteresis smaller than {Format(lowestHigh.Value - highestLow.Value)}.");
            }
        }

        var ownCalibration = sensor.Calibration?.GetValueOrDefault(name);
        var inheritedCalibration = defaults.Calibration?.GetValueOrDefault(name);
        var offset = Pick(ownCalibration?.Offset, inheritedCalibration?.Offset, 0, sensorKey, defaultKey, $"Calibration:{name}:Offset");
        var gain = Pick(ownCalibration?.Gain, inheritedCalibration?.Gain, 1, sensorKey, defaultKey, $"Calibration:{name}:Gain");
        if (!double.IsFinite(offset.Value))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{offset.Key} is {Format(offset.Value)}; set a finite offset in {quantity.Unit()}."));
        }

        if (!(gain.Value is >= 0.5 and <= 2))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{gain.Key} is {Format(gain.Value)}; set a gain from 0.5 to 2 (1 leaves values unchanged)."));
        }

        double? ownRate = sensor.RateOfChangeLimits?.TryGetValue(name, out var r1) == true ? r1 : null;
        double? inheritedRate = defaults.RateOfChangeLimits?.TryGetValue(name, out var r2) == true ? r2 : null;
        var rate = Pick(ownRate, inheritedRate, double.NaN, sensorKey, defaultKey, $"RateOfChangeLimits:{name}");
        if (rate.Key is not null && !(double.IsFinite(rate.Value) && rate.Value > 0))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{rate.Key} is {Format(rate.Value)}; set a positive number of {quantity.Unit()} per minute, or remove the key."));
        }

        return new QuantityRules(
            quantity,
            new Thresholds(lowCritical.Value, lowWarning.Value, highWarning.Value, highCritical.Value, hysteresis.Value),
            hold,
            holdTime,
            rate.Value,
            offset.Value,
            gain.Value);
    }

    private static void CheckQuantityNames(SensorClassificationOptions sensor, string sensorKey, List<string> problems)
    {
        var known = string.Join(", ", Quantities.All.Select(q => q.Name()));
        foreach (var (section, names) in new (string, IEnumerable<string>?)[]
                 {
                     ("Thresholds", sensor.Thresholds?.Keys),
                     ("Calibration", sensor.Calibration?.Keys),
                     ("RateOfChangeLimits", sensor.RateOfChangeLimits?.Keys),
                 })
        {
            foreach (var name in names ?? [])
            {
                if (!Quantities.TryParse(name, out _))
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"{sensorKey}:{section}:{name} names no quantity; use one of {known}."));
                }
            }
        }
    }

    private static Picked<T> Pick<T>(T? own, T? inherited, T builtIn, string sensorKey, string defaultKey, string field)
        where T : struct => own.HasValue
        ? new(own.Value, $"{sensorKey}:{field}")
        : inherited.HasValue ? new(inherited.Value, $"{defaultKey}:{field}") : new(builtIn, null);

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private readonly record struct Picked<T>(T Value, string? Key);
}
