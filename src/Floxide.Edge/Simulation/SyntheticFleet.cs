using System.Buffers;
using System.Text.Json;
using Floxide.Edge.Emulation;
using Floxide.Edge.Readings;
using UnitsNet;
using Quantity = Floxide.Edge.Readings.Quantity;

namespace Floxide.Edge.Simulation;

/// <summary>One synthetic reading of one fleet sensor.</summary>
/// <param name="SensorId">The sensor's id, e.g. <c>sim-001</c>.</param>
/// <param name="Sequence">The reading's number: the sensor's schedule slot, counted from the fleet's epoch.</param>
/// <param name="Timestamp">When the sensor takes it.</param>
/// <param name="Conditions">The values: temperature, humidity and pressure.</param>
/// <param name="IsSpike">Whether the values are a spike, far off the waveform.</param>
/// <param name="IsDropout">Whether the sensor is silent at this slot (nothing is sent).</param>
public readonly record struct SyntheticSample(
    string SensorId, long Sequence, DateTimeOffset Timestamp, ChipConditions Conditions, bool IsSpike, bool IsDropout)
{
    /// <summary>
    /// Writes the MQTT payload: <c>{"temperature":…,"humidity":…,"pressure":…,"timestamp":"…","seq":…}</c>, the field
    /// names the MQTT ingest reads by default.
    /// </summary>
    /// <param name="output">Receives the UTF-8 JSON.</param>
    /// <param name="withTimestamp">
    /// Include the sample's timestamp; leave it out when the fleet is replayed faster than its own clock (a load or a
    /// demo), so that the gateway stamps each reading with its arrival instead of judging it too old or in the future.
    /// </param>
    public void WriteJson(IBufferWriter<byte> output, bool withTimestamp = true)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteNumber(Quantity.Temperature.Name(), Math.Round(Conditions.Temperature.DegreesCelsius, 2));
        writer.WriteNumber(Quantity.RelativeHumidity.Name(), Math.Round(Conditions.Humidity.Percent, 2));
        writer.WriteNumber(Quantity.Pressure.Name(), Math.Round(Conditions.Pressure.Hectopascals, 2));
        if (withTimestamp)
        {
            writer.WriteString("timestamp", Timestamp);
        }

        writer.WriteNumber("seq", Sequence);
        writer.WriteEndObject();
    }

    /// <summary>A reading for the workflow.</summary>
    /// <returns>The reading, sourced <c>simulated</c>.</returns>
    public SensorReading ToReading() => new(SensorId, Timestamp, Sequence, "simulated")
    {
        Temperature = Conditions.Temperature,
        Humidity = Conditions.Humidity,
        Pressure = Conditions.Pressure,
    };
}

/// <summary>
/// A deterministic synthetic fleet: every sensor's value at every slot of its schedule is a pure function of the
/// seed, the sensor and the time — a daily temperature cycle (warmest mid-afternoon) with humidity moving the other
/// way, a slow pressure swell, measurement noise, rare spikes and dropouts. Nothing depends on when or in which
/// order it is asked, so a simulated day is computed in milliseconds and a load generator can publish the very
/// values the gateway's tests expect.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class SyntheticFleet
{
    /// <summary>The start of every sensor's schedule: slot numbers (sequences) count from here.</summary>
    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly SensorProfile[] sensors;
    private readonly long intervalTicks;

    /// <summary>Creates the fleet that <paramref name="options"/> describes.</summary>
    /// <param name="options">Seed, sensor count, interval, spike and dropout rates, noise.</param>
    public SyntheticFleet(SimulationOptions options)
        : this(options, options?.FleetSensors ?? 0, options?.FleetIdPrefix ?? "sim-", firstIndex: 0)
    {
    }

    internal SyntheticFleet(SimulationOptions options, int count, string idPrefix, int firstIndex)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        intervalTicks = options.FleetInterval.Ticks;
        sensors = new SensorProfile[count];
        for (var i = 0; i < count; i++)
        {
            sensors[i] = new SensorProfile(options.Seed, firstIndex + i, $"{idPrefix}{i + 1:000}", intervalTicks);
        }
    }

    /// <summary>The options the fleet was made from.</summary>
    public SimulationOptions Options { get; }

    /// <summary>The sensors' ids, in index order.</summary>
    public IReadOnlyList<string> SensorIds => [.. sensors.Select(s => s.Id)];

    /// <summary>How often each sensor reports.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(intervalTicks);

    /// <summary>The sample sensor <paramref name="index"/> takes at slot <paramref name="slot"/> of its schedule.</summary>
    /// <param name="index">The sensor's index, 0 to <c>SensorIds.Count - 1</c>.</param>
    /// <param name="slot">The slot, 0 or more.</param>
    /// <returns>The sample.</returns>
    public SyntheticSample Sample(int index, long slot)
    {
        var sensor = sensors[index];
        var timestamp = Epoch + TimeSpan.FromTicks(sensor.OffsetTicks + slot * intervalTicks);
        var spike = Hash.Unit(Options.Seed, sensor.Index, slot, 1) < Options.SpikeProbability;
        var conditions = ConditionsAt(sensor, timestamp, slot, spike);
        return new SyntheticSample(sensor.Id, slot + 1, timestamp, conditions, spike, IsDropout(sensor, slot));
    }

    /// <summary>The sample sensor <paramref name="index"/> takes at its latest slot at or before <paramref name="time"/>.</summary>
    /// <param name="index">The sensor's index.</param>
    /// <param name="time">A time after <see cref="Epoch"/>.</param>
    /// <returns>The sample.</returns>
    public SyntheticSample SampleAt(int index, DateTimeOffset time) => Sample(index, SlotAt(sensors[index], time));

    /// <summary>Every sample due after <paramref name="after"/> up to and including <paramref name="until"/>, in time order, dropouts included (flagged).</summary>
    /// <param name="after">The exclusive start.</param>
    /// <param name="until">The inclusive end.</param>
    /// <returns>The samples.</returns>
    public IEnumerable<SyntheticSample> Between(DateTimeOffset after, DateTimeOffset until)
    {
        var schedule = ScheduleAfter(after);
        while (schedule.TryTake(until, out var sample))
        {
            yield return sample;
        }
    }

    /// <summary>
    /// The fleet's samples from <paramref name="after"/> on, taken one at a time in time order: a source that runs for
    /// months keeps one schedule rather than rebuilding the order of every sensor at each wake-up.
    /// </summary>
    /// <param name="after">The exclusive start.</param>
    /// <returns>The schedule.</returns>
    public SyntheticFleetSchedule ScheduleAfter(DateTimeOffset after)
    {
        var due = new PriorityQueue<(int Index, long Slot), DateTimeOffset>(sensors.Length);
        for (var i = 0; i < sensors.Length; i++)
        {
            var slot = Math.Max(0, SlotAt(sensors[i], after) + 1);
            due.Enqueue((i, slot), SlotTime(sensors[i], slot));
        }

        return new SyntheticFleetSchedule(this, due);
    }

    /// <summary>When sample <paramref name="slot"/> of sensor <paramref name="index"/> is due.</summary>
    internal DateTimeOffset SlotTime(int index, long slot) => SlotTime(sensors[index], slot);

    /// <summary>The waveform of sensor <paramref name="index"/> at any <paramref name="time"/>, with the noise and spike of the slot it falls in.</summary>
    /// <param name="index">The sensor's index.</param>
    /// <param name="time">The time.</param>
    /// <returns>The conditions, and whether the sensor is in a dropout then.</returns>
    public (ChipConditions Conditions, bool IsDropout) ConditionsAt(int index, DateTimeOffset time)
    {
        var sensor = sensors[index];
        var slot = Math.Max(0, SlotAt(sensor, time));
        var spike = Hash.Unit(Options.Seed, sensor.Index, slot, 1) < Options.SpikeProbability;
        return (ConditionsAt(sensor, time, slot, spike), IsDropout(sensor, slot));
    }

    private ChipConditions ConditionsAt(SensorProfile sensor, DateTimeOffset time, long slot, bool spike)
    {
        var day = (time - Epoch).TotalDays;
        // Warmest at 15:00, coolest at 03:00; humidity mirrors it; pressure swells over about three days.
        var cycle = Math.Sin(2 * Math.PI * (day % 1 - 0.375));
        var noise = Options.NoiseScale;
        var temperature = sensor.BaseTemperature + sensor.TemperatureSwing * cycle + 0.05 * noise * Hash.Gaussian(Options.Seed, sensor.Index, slot, 2);
        var humidity = sensor.BaseHumidity - sensor.HumiditySwing * cycle + 0.3 * noise * Hash.Gaussian(Options.Seed, sensor.Index, slot, 3);
        var pressure = sensor.BasePressure + 6 * Math.Sin(2 * Math.PI * day / 3.1 + sensor.Phase) + 0.05 * noise * Hash.Gaussian(Options.Seed, sensor.Index, slot, 4);
        if (spike)
        {
            temperature += Hash.Unit(Options.Seed, sensor.Index, slot, 5) < 0.5 ? -25 : 25;
        }

        return new ChipConditions(
            Temperature.FromDegreesCelsius(temperature),
            RelativeHumidity.FromPercent(Math.Clamp(humidity, 0, 100)),
            Pressure.FromHectopascals(pressure));
    }

    private bool IsDropout(SensorProfile sensor, long slot)
    {
        if (Options.DropoutProbability <= 0)
        {
            return false;
        }

        for (var start = Math.Max(0, slot - Options.DropoutReadings + 1); start <= slot; start++)
        {
            if (Hash.Unit(Options.Seed, sensor.Index, start, 6) < Options.DropoutProbability)
            {
                return true;
            }
        }

        return false;
    }

    private long SlotAt(SensorProfile sensor, DateTimeOffset time) =>
        (long)Math.Floor(((time - Epoch).Ticks - sensor.OffsetTicks) / (double)intervalTicks);

    private DateTimeOffset SlotTime(SensorProfile sensor, long slot) => Epoch + TimeSpan.FromTicks(sensor.OffsetTicks + slot * intervalTicks);

    private sealed class SensorProfile
    {
        public SensorProfile(int seed, int index, string id, long intervalTicks)
        {
            Index = index;
            Id = id;
            // Spread the sensors over the interval so that they do not all report at once.
            OffsetTicks = (long)(Hash.Unit(seed, index, -1, 0) * intervalTicks);
            BaseTemperature = 16 + 10 * Hash.Unit(seed, index, -1, 7);
            TemperatureSwing = 1.5 + 4.5 * Hash.Unit(seed, index, -1, 8);
            BaseHumidity = 35 + 30 * Hash.Unit(seed, index, -1, 9);
            HumiditySwing = 4 + 10 * Hash.Unit(seed, index, -1, 10);
            BasePressure = 1000 + 25 * Hash.Unit(seed, index, -1, 11);
            Phase = 2 * Math.PI * Hash.Unit(seed, index, -1, 12);
        }

        public int Index { get; }

        public string Id { get; }

        public long OffsetTicks { get; }

        public double BaseTemperature { get; }

        public double TemperatureSwing { get; }

        public double BaseHumidity { get; }

        public double HumiditySwing { get; }

        public double BasePressure { get; }

        public double Phase { get; }
    }

    // Counter-based randomness: a value depends only on its coordinates, never on the order of the calls.
    private static class Hash
    {
        public static double Unit(int seed, int sensor, long slot, int stream)
        {
            var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)sensor * 0xC2B2AE3D27D4EB4FUL ^ (ulong)slot * 0x165667B19E3779F9UL ^ (ulong)stream * 0xD6E8FEB86659FD93UL);
            x = Mix(Mix(x));
            return (x >> 11) * (1.0 / (1UL << 53));
        }

        public static double Gaussian(int seed, int sensor, long slot, int stream)
        {
            var u1 = Math.Max(Unit(seed, sensor, slot, stream), double.Epsilon);
            var u2 = Unit(seed, sensor, slot, stream + 100);
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        private static ulong Mix(ulong z)
        {
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            return z ^ (z >> 31);
        }
    }
}
