using System.Globalization;
using Floxide.Edge.Readings;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Reporting;

/// <summary>What is published and how often: configuration section <c>Floxide:Reporting</c>.</summary>
public sealed class ReportingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Floxide:Reporting";

    /// <summary>
    /// A reading is published at least this often per sensor, even when no value moved beyond its deadband;
    /// 00:00:00 publishes only on change.
    /// </summary>
    /// <value>0, or 1 second to 1 day. The default is 5 minutes.</value>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Deadbands keyed by quantity name: a reading is published when a value moved by more than its deadband since
    /// the last published reading. A quantity with no deadband is published whenever its value changes at all.
    /// </summary>
    public Dictionary<string, DeadbandOptions> Deadbands { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Optional smoothing of published values.</summary>
    public SmoothingOptions Smoothing { get; set; } = new();

    /// <summary>Optional windowed aggregates (min, max, mean) per sensor and quantity.</summary>
    public AggregateOptions Aggregates { get; set; } = new();
}

/// <summary>A deadband: set <see cref="Absolute"/> or <see cref="Percent"/>, not both.</summary>
public sealed class DeadbandOptions
{
    /// <summary>The change, in the quantity's canonical unit, that a value must exceed to be published.</summary>
    public double? Absolute { get; set; }

    /// <summary>
    /// The change, in percent of the last published value, that a value must exceed to be published. For humidity and
    /// pressure only: a percentage of a Celsius temperature shrinks to nothing near 0 °C, so temperature takes
    /// <see cref="Absolute"/>.
    /// </summary>
    public double? Percent { get; set; }
}

/// <summary>How published values are smoothed.</summary>
public enum SmoothingMethod
{
    /// <summary>Values are published as measured (after calibration).</summary>
    None,

    /// <summary>The mean of the last <see cref="SmoothingOptions.Window"/> values.</summary>
    MovingAverage,

    /// <summary>An exponentially weighted moving average with factor <see cref="SmoothingOptions.Alpha"/>.</summary>
    Ewma,
}

/// <summary>Smoothing of published values. Classification and alerts always see the unsmoothed values.</summary>
public sealed class SmoothingOptions
{
    /// <summary>The method.</summary>
    /// <value>The default is <see cref="SmoothingMethod.None"/>.</value>
    public SmoothingMethod Method { get; set; } = SmoothingMethod.None;

    /// <summary>The moving average's window, in readings.</summary>
    /// <value>2 to 1 000. The default is 5.</value>
    public int Window { get; set; } = 5;

    /// <summary>The EWMA's weight of the newest value.</summary>
    /// <value>Above 0, at most 1. The default is 0.3.</value>
    public double Alpha { get; set; } = 0.3;
}

/// <summary>Windowed aggregates: min, max and mean of every valid reading per sensor and quantity, per interval.</summary>
public sealed class AggregateOptions
{
    /// <summary>The window, aligned to multiples of it since the Unix epoch (UTC); 00:00:00 turns aggregates off.</summary>
    /// <value>0, or 1 second to 1 day. The default is 0.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.Zero;
}

/// <summary>Validates <see cref="ReportingOptions"/>; each failure names the key, the value and the fix.</summary>
public sealed class ReportingOptionsValidator : IValidateOptions<ReportingOptions>
{
    private const string Section = ReportingOptions.SectionName;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ReportingOptions options)
    {
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem of <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The problems; empty when valid.</returns>
    public static IReadOnlyList<string> Problems(ReportingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Heartbeat != TimeSpan.Zero && (options.Heartbeat < TimeSpan.FromSeconds(1) || options.Heartbeat > TimeSpan.FromDays(1)))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:Heartbeat is {options.Heartbeat}; set 00:00:00 (publish only on change) or 00:00:01 to 1.00:00:00."));
        }

        foreach (var (name, deadband) in options.Deadbands ?? [])
        {
            var key = $"{Section}:Deadbands:{name}";
            if (!Quantities.TryParse(name, out var quantity))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{key} names no quantity; use one of {string.Join(", ", Quantities.All.Select(q => q.Name()))}."));
                continue;
            }

            if (deadband.Absolute.HasValue && deadband.Percent.HasValue)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{key} sets both Absolute ({deadband.Absolute}) and Percent ({deadband.Percent}); keep one."));
            }

            if (deadband.Absolute is { } absolute && !(double.IsFinite(absolute) && absolute >= 0))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{key}:Absolute is {absolute}; set 0 or a positive number of {quantity.Unit()}."));
            }

            if (quantity == Quantity.Temperature && deadband.Percent is { } percentOfCelsius)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{key}:Percent is {percentOfCelsius}; a percentage of a Celsius temperature shrinks to nothing near 0 °C (and means nothing on an interval scale): remove Percent and set {key}:Absolute in °C instead (e.g. 0.2)."));
            }
            else if (deadband.Percent is { } percent && !(percent is >= 0 and <= 100))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{key}:Percent is {percent}; set 0 to 100 percent of the last published value."));
            }
        }

        var smoothing = options.Smoothing ?? new SmoothingOptions();
        if (!Enum.IsDefined(smoothing.Method))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:Smoothing:Method is {smoothing.Method}; set None, MovingAverage or Ewma."));
        }

        if (smoothing.Window is < 2 or > 1_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:Smoothing:Window is {smoothing.Window}; set 2 to 1000 readings."));
        }

        if (!(smoothing.Alpha is > 0 and <= 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:Smoothing:Alpha is {smoothing.Alpha}; set a weight above 0 and at most 1 (0.3 is usual)."));
        }

        var interval = (options.Aggregates ?? new AggregateOptions()).Interval;
        if (interval != TimeSpan.Zero && (interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromDays(1)))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:Aggregates:Interval is {interval}; set 00:00:00 (off) or 00:00:01 to 1.00:00:00."));
        }

        return problems;
    }

    internal static void ThrowIfInvalid(ReportingOptions options)
    {
        var problems = Problems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }
    }
}
