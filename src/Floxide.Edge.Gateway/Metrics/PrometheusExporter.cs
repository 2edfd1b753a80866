using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Floxide.Edge.Gateway.Metrics;

/// <summary>
/// Collects <see cref="System.Diagnostics.Metrics"/> instruments of chosen meters with a <see cref="MeterListener"/> and
/// writes them in the Prometheus text exposition format (version 0.0.4). Counters become <c>_total</c> counters,
/// up-down counters and gauges become gauges, histograms keep their buckets; units become suffixes
/// (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>; annotations like <c>{event}</c> are dropped).
/// </summary>
/// <remarks>Thread-safe. Recording a measurement into a known series allocates nothing.</remarks>
public sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly HashSet<string> meters;
    private readonly ConcurrentDictionary<Instrument, InstrumentAggregate> aggregates = new();
    private readonly Lock scrapeGate = new();

    /// <summary>Starts listening to the instruments of <paramref name="meterNames"/>, present and future.</summary>
    /// <param name="meterNames">The meters to export.</param>
    /// <param name="maxSeriesPerInstrument">
    /// The most time series (distinct tag sets) kept per instrument; measurements beyond are dropped and counted in
    /// <c>floxide_metrics_series_dropped_total</c>.
    /// </param>
    public PrometheusExporter(IEnumerable<string> meterNames, int maxSeriesPerInstrument = MetricsOptions.DefaultMaxSeriesPerInstrument)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeriesPerInstrument, 1);
        meters = new HashSet<string>(meterNames, StringComparer.Ordinal);
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (meters.Contains(instrument.Meter.Name) && KindOf(instrument) is { } kind)
            {
                var aggregate = aggregates.GetOrAdd(instrument, static (key, state) => new InstrumentAggregate(key, state.Kind, BucketsOf(key), state.Max), (Kind: kind, Max: maxSeriesPerInstrument));
                meterListener.EnableMeasurementEvents(instrument, aggregate);
            }
        };
        listener.MeasurementsCompleted = (instrument, state) => aggregates.TryRemove(instrument, out var removed);
        listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record((double)value, tags));
        listener.Start();
    }

    /// <summary>Observes the observable instruments and writes every series.</summary>
    /// <returns>The exposition text.</returns>
    public string Scrape()
    {
        lock (scrapeGate)
        {
            listener.RecordObservableInstruments();
            var text = new StringBuilder(4096);
            foreach (var family in aggregates.Values.GroupBy(aggregate => MetricName(aggregate.Instrument, aggregate.Kind)).OrderBy(group => group.Key, StringComparer.Ordinal))
            {
                var first = family.First();
                var description = first.Instrument.Description;
                if (!string.IsNullOrEmpty(description))
                {
                    text.Append("# HELP ").Append(family.Key).Append(' ').Append(EscapeHelp(description)).Append('\n');
                }

                text.Append("# TYPE ").Append(family.Key).Append(' ').Append(TypeName(first.Kind)).Append('\n');
                foreach (var aggregate in family)
                {
                    foreach (var (tags, series) in aggregate.AllSeries.OrderBy(pair => Labels(pair.Key, null, null), StringComparer.Ordinal))
                    {
                        WriteSeries(text, family.Key, aggregate, tags, series);
                    }
                }
            }

            WriteDroppedSeries(text);
            return text.ToString();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => listener.Dispose();

    internal static string MetricName(Instrument instrument, AggregateKind kind)
    {
        var name = Sanitize(instrument.Name);
        var unit = UnitSuffix(instrument.Unit);
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        if (kind is AggregateKind.Sum or AggregateKind.ObservedTotal && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    private void WriteDroppedSeries(StringBuilder text)
    {
        var dropped = aggregates.Values
            .Where(aggregate => aggregate.DroppedMeasurements > 0)
            .Select(aggregate => (Name: MetricName(aggregate.Instrument, aggregate.Kind), aggregate.DroppedMeasurements))
            .GroupBy(pair => pair.Name, pair => pair.DroppedMeasurements)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .ToList();
        if (dropped.Count == 0)
        {
            return;
        }

        const string Name = "floxide_metrics_series_dropped_total";
        text.Append("# HELP ").Append(Name).Append(" Measurements dropped because their metric already has the most series allowed (Floxide:Metrics:MaxSeriesPerInstrument).\n");
        text.Append("# TYPE ").Append(Name).Append(" counter\n");
        foreach (var group in dropped)
        {
            text.Append(Name).Append("{metric=\"").Append(group.Key).Append("\"} ").Append(group.Sum().ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void WriteSeries(StringBuilder text, string name, InstrumentAggregate aggregate, TagSet tags, InstrumentAggregate.Series series)
    {
        if (aggregate.Kind != AggregateKind.Histogram)
        {
            text.Append(name).Append(Labels(tags, null, null)).Append(' ').Append(Format(series.Value)).Append('\n');
            return;
        }

        long cumulative = 0;
        for (var index = 0; index <= aggregate.Buckets.Length; index++)
        {
            cumulative += series.BucketCount(index);
            var bound = index < aggregate.Buckets.Length ? Format(aggregate.Buckets[index]) : "+Inf";
            text.Append(name).Append("_bucket").Append(Labels(tags, "le", bound)).Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append(name).Append("_sum").Append(Labels(tags, null, null)).Append(' ').Append(Format(series.Value)).Append('\n');
        text.Append(name).Append("_count").Append(Labels(tags, null, null)).Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string Labels(TagSet tags, string? extraName, string? extraValue)
    {
        if (tags.Tags.Length == 0 && extraName is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder("{");
        foreach (var tag in tags.Tags)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(Sanitize(tag.Key)).Append("=\"").Append(EscapeLabel(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty)).Append('"');
        }

        if (extraName is not null)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(extraName).Append("=\"").Append(extraValue).Append('"');
        }

        return text.Append('}').ToString();
    }

    private static AggregateKind? KindOf(Instrument instrument)
    {
        if (!instrument.GetType().IsGenericType)
        {
            return null;
        }

        var definition = instrument.GetType().GetGenericTypeDefinition();
        return definition switch
        {
            _ when definition == typeof(Counter<>) => AggregateKind.Sum,
            _ when definition == typeof(UpDownCounter<>) => AggregateKind.UpDownSum,
            _ when definition == typeof(ObservableCounter<>) => AggregateKind.ObservedTotal,
            _ when definition == typeof(ObservableUpDownCounter<>) => AggregateKind.LastValue,
            _ when definition == typeof(ObservableGauge<>) => AggregateKind.LastValue,
            _ when definition == typeof(Gauge<>) => AggregateKind.LastValue,
            _ when definition == typeof(Histogram<>) => AggregateKind.Histogram,
            _ => null,
        };
    }

    private static double[]? BucketsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds],
        Histogram<long> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(bound => (double)bound)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(bound => (double)bound)],
        _ => null,
    };

    private static string TypeName(AggregateKind kind) => kind switch
    {
        AggregateKind.Sum or AggregateKind.ObservedTotal => "counter",
        AggregateKind.Histogram => "histogram",
        _ => "gauge",
    };

    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => string.Empty,
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        "%" => "percent",
        "Cel" => "celsius",
        _ when unit.StartsWith('{') => string.Empty,
        _ => Sanitize(unit),
    };

    private static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var character in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(character) || character == '_' ? character : '_');
        }

        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
