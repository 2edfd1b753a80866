using System.Runtime.InteropServices;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Reporting;

/// <summary>
/// Keeps min, max and mean per sensor and quantity over tumbling windows aligned to multiples of the interval since
/// the Unix epoch. A window closes when a reading of a later window arrives, or when a tick passes its end, so a
/// sensor that fell silent still gets its last window out.
/// </summary>
/// <remarks>Called from the workflow loop only; <see cref="Reconfigure"/> may be called from any thread and takes effect at the next window (turning aggregates off, at the next tick).</remarks>
public sealed class WindowedAggregator
{
    private readonly Dictionary<string, Window[]> windows = new(StringComparer.Ordinal);
    private readonly List<SensorAggregate> closed = [];
    private long intervalTicks;

    /// <summary>Creates an aggregator.</summary>
    /// <param name="options">Validated aggregate options.</param>
    public WindowedAggregator(AggregateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        intervalTicks = options.Interval.Ticks;
    }

    /// <summary><see langword="true"/> when aggregates are on.</summary>
    public bool Enabled => Volatile.Read(ref intervalTicks) > 0;

    /// <summary>Takes new options: a new interval applies from the next window; turning aggregates off closes the open windows early at the next <see cref="Tick"/>.</summary>
    /// <param name="options">Validated aggregate options.</param>
    public void Reconfigure(AggregateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Volatile.Write(ref intervalTicks, options.Interval.Ticks);
    }

    /// <summary>Adds a valid reading; returns the windows it closed.</summary>
    /// <param name="reading">The reading, calibrated and not smoothed.</param>
    /// <returns>The closed windows, valid until the next call; empty when none closed.</returns>
    public IReadOnlyList<SensorAggregate> Add(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        closed.Clear();
        var size = TimeSpan.FromTicks(Volatile.Read(ref intervalTicks));
        if (size <= TimeSpan.Zero)
        {
            return closed;
        }

        ref var sensorWindows = ref CollectionsMarshal.GetValueRefOrAddDefault(windows, reading.SensorId, out _);
        sensorWindows ??= new Window[Quantities.All.Count];
        var start = Align(reading.Timestamp, size);
        foreach (var quantity in QuantitySet.All)
        {
            if (!reading.TryGetValue(quantity, out var value))
            {
                continue;
            }

            ref var window = ref sensorWindows[(int)quantity];
            if (window.Count > 0 && window.Start != start)
            {
                if (start < window.Start)
                {
                    // A late reading of a window already closed is left out rather than reopening it.
                    continue;
                }

                closed.Add(window.Close(reading.SensorId, quantity));
            }

            window.Add(start, size, value);
        }

        return closed;
    }

    /// <summary>
    /// Closes every window that ended at or before <paramref name="now"/>; once aggregates are turned off, closes every
    /// open window early, so the readings they hold are not lost, and forgets every sensor.
    /// </summary>
    /// <param name="now">The tick's time.</param>
    /// <returns>The closed windows, valid until the next call.</returns>
    public IReadOnlyList<SensorAggregate> Tick(DateTimeOffset now)
    {
        closed.Clear();
        var turnedOff = !Enabled;
        foreach (var (sensorId, sensorWindows) in windows)
        {
            for (var i = 0; i < sensorWindows.Length; i++)
            {
                ref var window = ref sensorWindows[i];
                if (window.Count > 0 && (turnedOff || window.End <= now))
                {
                    closed.Add(window.Close(sensorId, (Quantity)i));
                }
            }
        }

        if (turnedOff)
        {
            windows.Clear();
        }

        return closed;
    }

    /// <summary>Closes a removed sensor's open windows early and forgets the sensor.</summary>
    /// <param name="sensorId">The sensor.</param>
    /// <returns>The closed windows, valid until the next call.</returns>
    public IReadOnlyList<SensorAggregate> Close(string sensorId)
    {
        ArgumentNullException.ThrowIfNull(sensorId);
        closed.Clear();
        if (windows.Remove(sensorId, out var sensorWindows))
        {
            for (var i = 0; i < sensorWindows.Length; i++)
            {
                if (sensorWindows[i].Count > 0)
                {
                    closed.Add(sensorWindows[i].Close(sensorId, (Quantity)i));
                }
            }
        }

        return closed;
    }

    /// <summary>The number of sensors with windows.</summary>
    internal int TrackedSensors => windows.Count;

    private static DateTimeOffset Align(DateTimeOffset timestamp, TimeSpan size)
    {
        var ticks = timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - (ticks % size.Ticks));
    }

    private struct Window
    {
        public DateTimeOffset Start;
        public DateTimeOffset End;
        public int Count;
        public double Minimum;
        public double Maximum;
        public double Sum;

        public void Add(DateTimeOffset start, TimeSpan size, double value)
        {
            if (Count == 0)
            {
                Start = start;
                End = start + size;
                Minimum = value;
                Maximum = value;
                Sum = 0;
            }

            Count++;
            Minimum = Math.Min(Minimum, value);
            Maximum = Math.Max(Maximum, value);
            Sum += value;
        }

        public SensorAggregate Close(string sensorId, Quantity quantity)
        {
            var aggregate = new SensorAggregate(sensorId, quantity, Start, End, Count, Minimum, Maximum, Sum / Count);
            Count = 0;
            return aggregate;
        }
    }
}
