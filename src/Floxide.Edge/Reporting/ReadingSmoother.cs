using System.Runtime.InteropServices;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Reporting;

/// <summary>
/// Smooths the values a reading is published with, per sensor and quantity: a moving average over a window of
/// readings, or an exponentially weighted moving average. Adjusts the reading in place; runs after classification, so
/// thresholds and alerts act on the measured values.
/// </summary>
/// <remarks>Called from the workflow loop only; <see cref="Reconfigure"/> may be called from any thread and restarts smoothing.</remarks>
public sealed class ReadingSmoother
{
    private readonly Dictionary<string, Track> tracks = new(StringComparer.Ordinal);
    private SmoothingOptions options;
    private int generation;

    /// <summary>Creates a smoother.</summary>
    /// <param name="options">Validated smoothing options.</param>
    public ReadingSmoother(SmoothingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    /// <summary><see langword="true"/> when smoothing changes values.</summary>
    public bool Enabled => Volatile.Read(ref options).Method != SmoothingMethod.None;

    /// <summary>Takes new options; every sensor's smoothing starts over.</summary>
    /// <param name="options">Validated smoothing options.</param>
    public void Reconfigure(SmoothingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Volatile.Write(ref this.options, options);
        Interlocked.Increment(ref generation);
    }

    /// <summary>Drops a removed sensor's smoothing state.</summary>
    /// <param name="sensorId">The sensor.</param>
    public void Forget(string sensorId)
    {
        ArgumentNullException.ThrowIfNull(sensorId);
        tracks.Remove(sensorId);
    }

    /// <summary>The number of sensors the smoother keeps state for.</summary>
    internal int TrackedSensors => tracks.Count;

    /// <summary>Replaces each value of <paramref name="reading"/> with its smoothed value.</summary>
    /// <param name="reading">A valid reading.</param>
    public void Smooth(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var current = Volatile.Read(ref options);
        if (current.Method == SmoothingMethod.None)
        {
            return;
        }

        ref var track = ref CollectionsMarshal.GetValueRefOrAddDefault(tracks, reading.SensorId, out _);
        var wanted = Volatile.Read(ref generation);
        if (track is null || track.Generation != wanted)
        {
            track = new Track(current.Window, wanted);
        }

        foreach (var quantity in QuantitySet.All)
        {
            if (reading.TryGetValue(quantity, out var value))
            {
                reading.SetValue(quantity, current.Method == SmoothingMethod.Ewma
                    ? track.Ewma((int)quantity, value, current.Alpha)
                    : track.MovingAverage((int)quantity, value));
            }
        }
    }

    private sealed class Track(int window, int generation)
    {
        private readonly double[][] windows = [.. Quantities.All.Select(_ => new double[window])];
        private readonly int[] counts = new int[Quantities.All.Count];
        private readonly int[] next = new int[Quantities.All.Count];
        private readonly double[] sums = new double[Quantities.All.Count];
        private readonly double[] averages = [.. Quantities.All.Select(_ => double.NaN)];

        public int Generation { get; } = generation;

        public double MovingAverage(int quantity, double value)
        {
            var buffer = windows[quantity];
            if (counts[quantity] == buffer.Length)
            {
                sums[quantity] -= buffer[next[quantity]];
            }
            else
            {
                counts[quantity]++;
            }

            buffer[next[quantity]] = value;
            sums[quantity] += value;
            next[quantity] = (next[quantity] + 1) % buffer.Length;
            return sums[quantity] / counts[quantity];
        }

        public double Ewma(int quantity, double value, double alpha)
        {
            ref var average = ref averages[quantity];
            average = double.IsNaN(average) ? value : (alpha * value) + ((1 - alpha) * average);
            return average;
        }
    }
}
