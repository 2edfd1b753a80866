using System.Runtime.InteropServices;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Reporting;

/// <summary>
/// Report-by-exception: decides whether a reading is published. It is when it is the sensor's first, when a value
/// moved by more than its deadband since the last published reading, when its quality or classification changed, or
/// when the heartbeat period has passed since the last publish; otherwise it is skipped. Only publishing is filtered:
/// classification and alerts see every reading before this.
/// </summary>
/// <remarks>Called from the workflow loop only; <see cref="Reconfigure"/> may be called from any thread.</remarks>
public sealed class ReportByExceptionFilter
{
    private readonly Dictionary<string, Published> published = new(StringComparer.Ordinal);
    private Settings settings;

    /// <summary>Creates a filter.</summary>
    /// <param name="options">Validated reporting options.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public ReportByExceptionFilter(ReportingOptions options) => settings = Compile(options);

    /// <summary>Takes new options; what was last published is kept.</summary>
    /// <param name="options">Validated reporting options.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public void Reconfigure(ReportingOptions options) => Volatile.Write(ref settings, Compile(options));

    /// <summary>Drops what was last published of a removed sensor; were it added again, its first reading would be published.</summary>
    /// <param name="sensorId">The sensor.</param>
    public void Forget(string sensorId)
    {
        ArgumentNullException.ThrowIfNull(sensorId);
        published.Remove(sensorId);
    }

    /// <summary>The number of sensors the filter remembers.</summary>
    internal int TrackedSensors => published.Count;

    /// <summary>Decides whether <paramref name="reading"/> is published, and remembers it when it is.</summary>
    /// <param name="reading">A valid reading, after smoothing.</param>
    /// <param name="classificationChanged"><see langword="true"/> when the reading moved some quantity to another zone.</param>
    /// <returns><see langword="true"/> to publish.</returns>
    public bool ShouldPublish(SensorReading reading, bool classificationChanged)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var current = Volatile.Read(ref settings);
        ref var last = ref CollectionsMarshal.GetValueRefOrAddDefault(published, reading.SensorId, out var seen);
        last ??= new Published();
        var publish = !seen || classificationChanged || reading.Quality != last.Quality
            || (current.Heartbeat > TimeSpan.Zero && reading.Timestamp - last.At >= current.Heartbeat);
        if (!publish)
        {
            foreach (var quantity in QuantitySet.All)
            {
                var has = reading.TryGetValue(quantity, out var value);
                var previous = last.Values[(int)quantity];
                if (has != !double.IsNaN(previous) || (has && Moved(previous, value, current.Deadbands[(int)quantity])))
                {
                    publish = true;
                    break;
                }
            }
        }

        if (publish)
        {
            last.At = reading.Timestamp;
            last.Quality = reading.Quality;
            foreach (var quantity in QuantitySet.All)
            {
                last.Values[(int)quantity] = reading.TryGetValue(quantity, out var value) ? value : double.NaN;
            }
        }

        return publish;
    }

    private static bool Moved(double previous, double value, Deadband deadband)
    {
        var change = Math.Abs(value - previous);
        return deadband.IsPercent ? change > Math.Abs(previous) * deadband.Size / 100 : change > deadband.Size;
    }

    private static Settings Compile(ReportingOptions options)
    {
        ReportingOptionsValidator.ThrowIfInvalid(options);
        var deadbands = new Deadband[Quantities.All.Count];
        foreach (var (name, deadband) in options.Deadbands ?? [])
        {
            if (!Quantities.TryParse(name, out var quantity))
            {
                continue;
            }

            deadbands[(int)quantity] = deadband.Percent is { } percent ? new(percent, true) : new(deadband.Absolute ?? 0, false);
        }

        return new Settings(options.Heartbeat, deadbands);
    }

    private readonly record struct Deadband(double Size, bool IsPercent);

    private sealed record Settings(TimeSpan Heartbeat, Deadband[] Deadbands);

    private sealed class Published
    {
        public DateTimeOffset At { get; set; }

        public ReadingQuality Quality { get; set; }

        public double[] Values { get; } = [.. Quantities.All.Select(_ => double.NaN)];
    }
}
