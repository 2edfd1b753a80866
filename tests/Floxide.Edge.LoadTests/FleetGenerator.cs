using System.Text;

namespace Floxide.Edge.LoadTests;

/// <summary>
/// A small seeded fleet: each sensor's temperature and humidity drift on a slow sine with noise, and each reading
/// carries the sensor's sequence number. Stands in for src/Floxide.Edge/Simulation until that lands.
/// </summary>
internal sealed class FleetGenerator(int sensors, int seed)
{
    private readonly Random random = new(seed);
    private readonly long[] sequences = new long[sensors];
    private readonly double[] phases = [.. Enumerable.Range(0, sensors).Select(i => i * 0.37)];

    public int Sensors => sensors;

    public static string SensorId(int index) => $"s{index:0000}";

    /// <summary>The next reading of sensor <paramref name="index"/>: its topic, payload and sequence number.</summary>
    public (string Topic, byte[] Payload, long Sequence) Next(int index)
    {
        var sequence = ++sequences[index];
        var temperature = 21 + (6 * Math.Sin(phases[index] + (sequence / 50.0))) + ((random.NextDouble() - 0.5) * 0.4);
        var humidity = 50 + (15 * Math.Cos(phases[index] + (sequence / 70.0))) + ((random.NextDouble() - 0.5) * 2);
        var payload = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{{\"temperature\":{temperature:F2},\"humidity\":{humidity:F1},\"seq\":{sequence}}}"));
        return ($"fleet/{SensorId(index)}/reading", payload, sequence);
    }
}
