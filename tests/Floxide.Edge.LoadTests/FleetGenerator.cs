using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Floxide.Edge.Simulation;

namespace Floxide.Edge.LoadTests;

/// <summary>
/// The load's fleet: the gateway's own <see cref="SyntheticFleet"/> (daily cycle, noise, rare spikes; no dropouts, so
/// every slot is sent), sensors <c>s001</c>, <c>s002</c>, …, published on <c>fleet/&lt;sensor&gt;/reading</c> with the
/// slot's sequence number as <c>seq</c> and no timestamp, so the gateway stamps each reading as it arrives.
/// </summary>
internal sealed class FleetGenerator
{
    private const string Prefix = "s";
    private readonly SyntheticFleet fleet;
    private readonly long[] slots;
    private readonly ArrayBufferWriter<byte> buffer = new(128);

    public FleetGenerator(int sensors, int seed)
    {
        fleet = new SyntheticFleet(new SimulationOptions { Seed = seed, FleetSensors = sensors, FleetIdPrefix = Prefix, DropoutProbability = 0 });
        slots = new long[sensors];
        Sensors = sensors;
    }

    public int Sensors { get; }

    /// <summary>The index of the sensor a topic level names: <c>s001</c> is 0.</summary>
    public static int IndexOf(ReadOnlySpan<char> sensorId) => int.Parse(sensorId[Prefix.Length..], CultureInfo.InvariantCulture) - 1;

    /// <summary>The next reading of sensor <paramref name="index"/>: its topic, payload and sequence number.</summary>
    public (string Topic, byte[] Payload, long Sequence) Next(int index)
    {
        var sample = fleet.Sample(index, slots[index]++);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("temperature", Math.Round(sample.Conditions.Temperature.DegreesCelsius, 2));
            json.WriteNumber("humidity", Math.Round(sample.Conditions.Humidity.Percent, 2));
            json.WriteNumber("pressure", Math.Round(sample.Conditions.Pressure.Hectopascals, 2));
            json.WriteNumber("seq", sample.Sequence);
            json.WriteEndObject();
        }

        return ($"fleet/{sample.SensorId}/reading", buffer.WrittenSpan.ToArray(), sample.Sequence);
    }
}
