using System.Diagnostics.Metrics;
using Floxide.Edge.Readings;
using Floxide.Edge.Telemetry;

namespace Floxide.Edge.Sensors;

/// <summary>The pollers' instruments: reads, failed reads by cause, and read duration, tagged with the sensor id.</summary>
public sealed class SensorMetrics
{
    private readonly Counter<long> reads;
    private readonly Counter<long> failures;
    private readonly Histogram<double> duration;

    /// <summary>Creates the instruments on <paramref name="meter"/> (the host's, from its <see cref="IMeterFactory"/>).</summary>
    /// <param name="meter">The meter named <see cref="FloxideTelemetry.Name"/>.</param>
    public SensorMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        reads = meter.CreateCounter<long>("floxide.sensor.reads", "{read}", "Sensor reads attempted.");
        failures = meter.CreateCounter<long>("floxide.sensor.read.failures", "{read}", "Sensor reads that failed, by cause.");
        duration = meter.CreateHistogram<double>("floxide.sensor.read.duration", "s", "Time a sensor read took, bus wait included.");
    }

    internal void Record(string sensorId, TimeSpan elapsed, SensorFaultKind? fault)
    {
        var sensor = new KeyValuePair<string, object?>(FloxideTelemetry.Tags.SensorId, sensorId);
        if (reads.Enabled)
        {
            reads.Add(1, sensor);
        }

        if (duration.Enabled)
        {
            duration.Record(elapsed.TotalSeconds, sensor);
        }

        if (fault is { } kind && failures.Enabled)
        {
            failures.Add(1, sensor, new KeyValuePair<string, object?>(FloxideTelemetry.Tags.Cause, kind.ToString()));
        }
    }
}
