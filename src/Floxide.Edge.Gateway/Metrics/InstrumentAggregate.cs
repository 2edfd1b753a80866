using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Floxide.Edge.Gateway.Metrics;

/// <summary>How an instrument's measurements are folded into Prometheus samples.</summary>
internal enum AggregateKind
{
    /// <summary>Counter: measurements are added; exported as a counter.</summary>
    Sum,

    /// <summary>UpDownCounter: measurements are added; exported as a gauge.</summary>
    UpDownSum,

    /// <summary>Observable counter: each observation is the running total; exported as a counter.</summary>
    ObservedTotal,

    /// <summary>Gauges and observable up-down counters: the last value; exported as a gauge.</summary>
    LastValue,

    /// <summary>Histogram: bucket counts, sum and count.</summary>
    Histogram,
}

/// <summary>
/// The time series of one instrument, one per distinct tag set, up to a cap: a measurement that would open a series
/// beyond it is dropped and counted, so a tag with unbounded values (a sensor id from a misbehaving fleet, say) cannot
/// grow the gateway's memory. Thread-safe; recording a known series does not allocate.
/// </summary>
internal sealed class InstrumentAggregate
{
    private static readonly double[] SecondsBuckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly ConcurrentDictionary<TagSet, Series> series = new(TagSetComparer.Instance);
    private readonly ConcurrentDictionary<TagSet, Series>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> lookup;
    private readonly Lock addGate = new();
    private readonly int maxSeries;
    private volatile bool full;
    private long droppedMeasurements;

    public InstrumentAggregate(Instrument instrument, AggregateKind kind, double[]? bucketBoundaries, int maxSeries = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        Instrument = instrument;
        Kind = kind;
        this.maxSeries = maxSeries;
        lookup = series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
        if (kind == AggregateKind.Histogram)
        {
            Buckets = bucketBoundaries ?? (instrument.Unit == "s" ? SecondsBuckets : DefaultBuckets);
        }
    }

    public Instrument Instrument { get; }

    public AggregateKind Kind { get; }

    public double[] Buckets { get; } = [];

    public IEnumerable<KeyValuePair<TagSet, Series>> AllSeries => series;

    /// <summary>Measurements dropped because they would have opened a series beyond the cap.</summary>
    public long DroppedMeasurements => Interlocked.Read(ref droppedMeasurements);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!lookup.TryGetValue(tags, out var target) && (target = TryAddSeries(tags)) is null)
        {
            Interlocked.Increment(ref droppedMeasurements);
            return;
        }

        switch (Kind)
        {
            case AggregateKind.Sum:
            case AggregateKind.UpDownSum:
                target.Add(value);
                break;
            case AggregateKind.ObservedTotal:
            case AggregateKind.LastValue:
                target.Set(value);
                break;
            case AggregateKind.Histogram:
                target.Observe(value, Buckets);
                break;
        }
    }

    private Series? TryAddSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Once full, stay lock-free: a flood of new tag values must not serialise the instruments' callers.
        if (full)
        {
            return null;
        }

        lock (addGate)
        {
            if (lookup.TryGetValue(tags, out var existing))
            {
                return existing;
            }

            if (series.Count >= maxSeries)
            {
                full = true;
                return null;
            }

            var created = new Series(Buckets.Length);
            series[TagSet.Create(tags)] = created;
            return created;
        }
    }

    /// <summary>One time series: a value, or a histogram's buckets, sum and count.</summary>
    internal sealed class Series(int bucketCount)
    {
        private readonly long[] bucketCounts = new long[bucketCount + 1];
        private double value;
        private long count;

        public double Value => Volatile.Read(ref value);

        public long Count => Interlocked.Read(ref count);

        public long BucketCount(int index) => Interlocked.Read(ref bucketCounts[index]);

        public void Add(double amount)
        {
            double current, updated;
            do
            {
                current = Volatile.Read(ref value);
                updated = current + amount;
            }
            while (Interlocked.CompareExchange(ref value, updated, current) != current);
        }

        public void Set(double observed) => Volatile.Write(ref value, observed);

        public void Observe(double observed, double[] boundaries)
        {
            var index = 0;
            while (index < boundaries.Length && observed > boundaries[index])
            {
                index++;
            }

            Interlocked.Increment(ref bucketCounts[index]);
            Interlocked.Increment(ref count);
            Add(observed);
        }
    }
}
