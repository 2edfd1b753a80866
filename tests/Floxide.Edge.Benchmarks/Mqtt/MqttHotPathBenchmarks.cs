using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Simulation;
using Floxide.Edge.Workflow;
using Microsoft.Extensions.Logging.Abstractions;

namespace Floxide.Edge.Benchmarks.Mqtt;

/// <summary>
/// Per-reading CPU cost of the gateway's own code on the MQTT hot path, without the transport: a fleet message
/// (topic and payload, as the load test and <c>floxide-edge simulate</c> send them, from the <see cref="SyntheticFleet"/>)
/// becomes a <see cref="SensorReading"/> through the real <see cref="MqttFleetIngest"/> (topic template, sensor-id
/// checks, <c>FleetPayloadParser</c>, per-sensor state), and the reading becomes its output topic and JSON payload
/// as <see cref="MqttPublisher"/> builds them (<see cref="MqttTopics"/>, <c>MqttPayloads</c>). Baseline: the same
/// payloads deserialised and the same output serialised by <see cref="JsonSerializer"/> with source-generated
/// metadata, the plain standard-library way to turn one JSON document into another. Figures are per reading.
/// </summary>
[MemoryDiagnoser]
public class MqttHotPathBenchmarks : IDisposable
{
    private const int Sensors = 1000;
    private const int ReadingsPerOperation = 2 * Sensors;
    private const string GatewayId = "load";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly Meter meter = new("Floxide.Edge.Benchmarks.Mqtt");
    private string[] topics = [];
    private string[] sensorIds = [];
    private ReadOnlySequence<byte>[] payloads = [];
    private byte[][] payloadBytes = [];
    private MqttConnection connection = null!;
    private MqttFleetIngest ingest = null!;
    private GatewayEventChannel events = null!;

    [GlobalSetup]
    public void Setup()
    {
        var fleet = new SyntheticFleet(new SimulationOptions { Seed = 42, FleetSensors = Sensors, FleetIdPrefix = "s", DropoutProbability = 0 });
        topics = new string[ReadingsPerOperation];
        sensorIds = new string[ReadingsPerOperation];
        payloads = new ReadOnlySequence<byte>[ReadingsPerOperation];
        payloadBytes = new byte[ReadingsPerOperation][];
        var buffer = new ArrayBufferWriter<byte>(128);
        for (var k = 0; k < ReadingsPerOperation; k++)
        {
            var sample = fleet.Sample(k % Sensors, k / Sensors);
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer))
            {
                // The load test's payload: the fleet's values and sequence number, no timestamp (the gateway stamps it).
                json.WriteStartObject();
                json.WriteNumber("temperature", Math.Round(sample.Conditions.Temperature.DegreesCelsius, 2));
                json.WriteNumber("humidity", Math.Round(sample.Conditions.Humidity.Percent, 2));
                json.WriteNumber("pressure", Math.Round(sample.Conditions.Pressure.Hectopascals, 2));
                json.WriteNumber("seq", sample.Sequence);
                json.WriteEndObject();
            }

            topics[k] = $"fleet/{sample.SensorId}/reading";
            sensorIds[k] = sample.SensorId;
            payloadBytes[k] = buffer.WrittenSpan.ToArray();
            payloads[k] = new ReadOnlySequence<byte>(payloadBytes[k]);
        }

        var options = new MqttOptions { GatewayId = GatewayId, Ingest = { Subscriptions = { new MqttSubscriptionOptions { Topic = "fleet/{sensorId}/reading" } } } };
        var clock = new FixedTimeProvider(Now);

        // Never started: the ingest only registers its subscription on it, and the topics are the publisher's.
        connection = new MqttConnection(options, NullLogger<MqttConnection>.Instance, clock);
        events = new GatewayEventChannel(new GatewayWorkflowOptions());
        ingest = new MqttFleetIngest(options, connection, events, new SensorDirectory(), NullLogger<MqttFleetIngest>.Instance, clock, meter);

        // Steady state: every sensor is known (registered in the directory on its first reading).
        if (GatewayPath() == 0 || SystemTextJson() == 0 || ingest.RejectedTotal != 0)
        {
            throw new InvalidOperationException("Every benchmark message must be accepted; fix the data.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ReadingsPerOperation)]
    public long SystemTextJson()
    {
        long bytes = 0;
        for (var k = 0; k < ReadingsPerOperation; k++)
        {
            var input = JsonSerializer.Deserialize(payloadBytes[k], BaselineJson.Default.FleetInput)!;
            var output = new ReadingOutput(sensorIds[k], GatewayId, input.Seq, Now, input.Temperature, input.Humidity, input.Pressure, "good");
            bytes += JsonSerializer.SerializeToUtf8Bytes(output, BaselineJson.Default.ReadingOutput).Length;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = ReadingsPerOperation)]
    public long GatewayPath()
    {
        long bytes = 0;
        var stateTopics = connection.Topics;
        for (var k = 0; k < ReadingsPerOperation; k++)
        {
            var reading = ingest.TryRead(topics[k], payloads[k], receipt: null, out _)!;
            var topic = stateTopics.State(reading.SensorId);
            bytes += MqttPayloads.Reading(reading, GatewayId).Length + topic.Length;
        }

        return bytes;
    }

    public void Dispose()
    {
        events?.Dispose();
        meter.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

internal sealed record FleetInput(double? Temperature, double? Humidity, double? Pressure, long Seq);

internal sealed record ReadingOutput(
    string Sensor, string Gateway, long Seq, DateTimeOffset Timestamp, double? Temperature, double? Humidity, double? Pressure, string Quality);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FleetInput))]
[JsonSerializable(typeof(ReadingOutput))]
internal sealed partial class BaselineJson : JsonSerializerContext;
