using System.Buffers;
using System.Globalization;
using Floxide.Edge.Simulation;

namespace Floxide.Edge.LoadTests;

/// <summary>
/// The load's fleet: the gateway's own <see cref="SyntheticFleet"/> (daily cycle, noise, rare spikes; no dropouts, so
/// every slot is sent), sensors <c>s001</c>, <c>s002</c>, …, published on <c>&lt;root&gt;/&lt;sensor&gt;/reading</c> with
/// the slot's sequence number as <c>seq</c> and no timestamp, so the gateway stamps each reading as it arrives (the
/// payload <c>floxide-edge simulate</c> sends). The relay baseline uses the root <c>relay</c>, which the gateway
/// does not subscribe to, and the gateway path <c>fleet</c>: topics of the same length, so the broker's work per
/// message is the same.
/// </summary>
internal sealed class FleetGenerator
{
    private const string Prefix = "s";
    private readonly SyntheticFleet fleet;
    private readonly long[] slots;
    private readonly ArrayBufferWriter<byte> buffer = new(128);
    private readonly string root;
    private readonly (double Temperature, double Humidity, double Pressure)?[] last;

    public FleetGenerator(int sensors, int seed, string root)
    {
        this.root = root;
        fleet = new SyntheticFleet(new SimulationOptions { Seed = seed, FleetSensors = sensors, FleetIdPrefix = Prefix, DropoutProbability = 0 });
        slots = new long[sensors];
        last = new (double, double, double)?[sensors];
        Sensors = sensors;
    }

    public int Sensors { get; }

    /// <summary>The index of the sensor a topic level names: <c>s001</c> is 0.</summary>
    public static int IndexOf(ReadOnlySpan<char> sensorId) => int.Parse(sensorId[Prefix.Length..], CultureInfo.InvariantCulture) - 1;

    /// <summary>
    /// The next reading of sensor <paramref name="index"/>: its topic, payload and sequence number, and whether its
    /// values repeat the sensor's previous reading exactly (the gateway's report-by-exception, with no deadband
    /// configured, publishes a reading whenever a value changed at all, so such a repeat rightly has no output).
    /// </summary>
    public (string Topic, byte[] Payload, long Sequence, bool Unchanged) Next(int index)
    {
        var sample = fleet.Sample(index, slots[index]++);
        var values = (Math.Round(sample.Conditions.Temperature.DegreesCelsius, 2), Math.Round(sample.Conditions.Humidity.Percent, 2), Math.Round(sample.Conditions.Pressure.Hectopascals, 2));
        var unchanged = last[index] == values;
        last[index] = values;
        buffer.ResetWrittenCount();
        sample.WriteJson(buffer, withTimestamp: false);

        return ($"{root}/{sample.SensorId}/reading", buffer.WrittenSpan.ToArray(), sample.Sequence, unchanged);
    }
}
