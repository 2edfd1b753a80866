using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// Takes fleet readings from MQTT: subscribes with the configured topic templates (shared if so configured), turns
/// each good message into a <see cref="SensorReading"/> written to the gateway's event channel, and registers fleet
/// sensors seen for the first time in the <see cref="SensorDirectory"/>. A QoS 1 message is acknowledged to the broker
/// only through the reading's <see cref="SensorReading.Receipt"/>, i.e. once its output is published or stored.
/// A bad message is counted by cause, logged at most once per cause and interval, optionally forwarded to the
/// dead-letter topic, and acknowledged: it never stops or slows the gateway.
/// </summary>
/// <remarks>Messages are handled one at a time on the connection's receive task.</remarks>
public sealed partial class MqttFleetIngest
{
    private const int MaxPendingDeadLetters = 64;

    private readonly MqttOptions options;
    private readonly MqttConnection connection;
    private readonly IGatewayEventWriter events;
    private readonly SensorDirectory directory;
    private readonly ILogger<MqttFleetIngest> logger;
    private readonly TimeProvider timeProvider;
    private readonly MqttMetrics metrics;
    private readonly IngestRejectionReporter rejections;
    private readonly FleetPayloadParser parser;
    private readonly FleetTopicTemplate[] templates;
    private readonly Dictionary<string, FleetSensorState> sensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FleetSensorState>.AlternateLookup<ReadOnlySpan<char>> sensorsBySpan;
    private readonly long sequenceStart;
    private int pendingDeadLetters;
    private long accepted;

    /// <summary>Creates the ingest and registers its subscriptions on <paramref name="connection"/> (before it starts).</summary>
    /// <param name="options">The MQTT options; <see cref="MqttOptions.Ingest"/> is used.</param>
    /// <param name="connection">The broker connection, not yet started.</param>
    /// <param name="events">The gateway's event channel.</param>
    /// <param name="directory">The gateway's sensors.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">
    /// The clock for readings without a timestamp, for log intervals, and for where the sequence numbers of payloads
    /// without one start (<see cref="ReadingSequence.StartingAt"/> now, so they keep increasing across restarts).
    /// </param>
    /// <param name="meter">The gateway's meter.</param>
    /// <exception cref="ArgumentException">A topic template is not valid.</exception>
    public MqttFleetIngest(
        MqttOptions options,
        MqttConnection connection,
        IGatewayEventWriter events,
        SensorDirectory directory,
        ILogger<MqttFleetIngest> logger,
        TimeProvider timeProvider,
        Meter meter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.options = options;
        this.connection = connection;
        this.events = events;
        this.directory = directory;
        this.logger = logger;
        this.timeProvider = timeProvider;
        sequenceStart = ReadingSequence.StartingAt(timeProvider.GetUtcNow());
        metrics = new MqttMetrics(meter);
        rejections = new IngestRejectionReporter(logger, timeProvider, options.Ingest.RejectionLogInterval, metrics);
        parser = new FleetPayloadParser(options.Ingest.Fields, options.Ingest.MaxPayloadBytes);
        sensorsBySpan = sensors.GetAlternateLookup<ReadOnlySpan<char>>();
        templates = [.. options.Ingest.Subscriptions.Select(s => FleetTopicTemplate.Parse(s.Topic, s.BareNumberQuantity))];
        foreach (var filter in templates.Select(t => t.Filter).Distinct(StringComparer.Ordinal))
        {
            connection.Subscribe(SharedSubscription.Wrap(options.Ingest.SharedGroup, filter), MqttQualityOfServiceLevel.AtLeastOnce, HandleAsync);
        }
    }

    /// <summary>Messages turned into readings since start.</summary>
    public long Accepted => Interlocked.Read(ref accepted);

    /// <summary>Messages rejected for <paramref name="cause"/> since start.</summary>
    /// <param name="cause">The cause.</param>
    /// <returns>The count.</returns>
    public long Rejected(IngestRejectionCause cause) => rejections.Count(cause);

    /// <summary>Messages rejected for any cause since start.</summary>
    public long RejectedTotal => rejections.Total;

    private async ValueTask HandleAsync(MqttIncomingMessage message)
    {
        var reading = TryRead(message.Topic, message.Payload, message, out var cause);
        if (reading is null)
        {
            Reject(message, cause);
            return;
        }

        Interlocked.Increment(ref accepted);
        metrics.Accepted();
        try
        {
            // Waiting for a reading slot holds back the broker's next delivery: QoS 1 input is never dropped here.
            await events.WriteReadingAsync(reading).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The gateway is shutting down: leave the message unacknowledged, the broker redelivers it next time.
            LogShuttingDown(logger, message.Topic);
        }
    }

    /// <summary>Turns a fleet message into a reading, or says why it is rejected (the per-message work of the ingest, without the transport).</summary>
    /// <param name="topic">The topic the message arrived on.</param>
    /// <param name="payload">Its payload.</param>
    /// <param name="receipt">The reading's receipt: the message itself.</param>
    /// <param name="cause">Why the message is rejected, when it is.</param>
    /// <returns>The reading, or <see langword="null"/> when the message is rejected.</returns>
    internal SensorReading? TryRead(string topic, ReadOnlySequence<byte> payload, IReadingReceipt? receipt, out IngestRejectionCause cause)
    {
        foreach (var template in templates)
        {
            if (!template.TryMatch(topic, out var sensorId, out var quantityText))
            {
                continue;
            }

            if (!IsValidSensorId(sensorId))
            {
                cause = IngestRejectionCause.InvalidSensorId;
                return null;
            }

            var quantity = template.BareNumberQuantity;
            if (template.HasQuantityLevel && !Quantities.TryParse(quantityText.ToString(), out quantity))
            {
                cause = IngestRejectionCause.UnknownQuantity;
                return null;
            }

            if (!parser.TryParse(payload, quantity, out var values, out cause))
            {
                return null;
            }

            var sensor = SensorFor(sensorId, topic, values);
            if (sensor is null)
            {
                cause = IngestRejectionCause.TooManySensors;
                return null;
            }

            var reading = new SensorReading(sensor.Id, values.Timestamp ?? timeProvider.GetUtcNow(), values.Sequence ?? ++sensor.Sequence, sensor.Source)
            {
                Receipt = receipt,
            };
            if (values.Temperature is { } temperature)
            {
                reading.SetValue(Quantity.Temperature, temperature);
            }

            if (values.Humidity is { } humidity)
            {
                reading.SetValue(Quantity.RelativeHumidity, humidity);
            }

            if (values.Pressure is { } pressure)
            {
                reading.SetValue(Quantity.Pressure, pressure);
            }

            return reading;
        }

        cause = IngestRejectionCause.UnmatchedTopic;
        return null;
    }

    private bool IsValidSensorId(ReadOnlySpan<char> sensorId)
    {
        if (sensorId.IsEmpty || sensorId.Length > options.Ingest.MaxSensorIdLength)
        {
            return false;
        }

        foreach (var c in sensorId)
        {
            if (c is '+' or '#' or '/' or '\0' || char.IsControl(c) || char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private FleetSensorState? SensorFor(ReadOnlySpan<char> sensorId, string topic, in FleetPayload values)
    {
        if (!sensorsBySpan.TryGetValue(sensorId, out var sensor))
        {
            if (sensors.Count >= options.Ingest.MaxSensors)
            {
                return null;
            }

            var id = sensorId.ToString();
            sensor = new FleetSensorState(id, $"mqtt {topic}") { Sequence = sequenceStart };
            sensors.Add(id, sensor);
        }

        var quantities = QuantityMask(values);
        if ((sensor.RegisteredQuantities | quantities) != sensor.RegisteredQuantities)
        {
            sensor.RegisteredQuantities |= quantities;
            Register(sensor);
        }

        return sensor;
    }

    private void Register(FleetSensorState sensor)
    {
        var defaults = options.Ingest.NewSensors;
        var known = directory.GetOrRegister(sensor.Id, id => Describe(id, sensor.RegisteredQuantities, defaults));
        var widens = Quantities.All.Any(q => Has(sensor.RegisteredQuantities, q) && !known.Ranges.ContainsKey(q));
        if (widens && known.Origin == SensorOrigin.Mqtt && known.Model == defaults.Model)
        {
            // A generic fleet sensor that now reports one more quantity; a configured sensor's descriptor stays as it is.
            directory.Register(Describe(sensor.Id, sensor.RegisteredQuantities | QuantityMask(known), defaults));
        }
    }

    private static SensorDescriptor Describe(string id, int quantities, FleetSensorOptions defaults) =>
        new(id, defaults.Model, SensorOrigin.Mqtt, defaults.Interval,
            Quantities.All.Where(q => Has(quantities, q)).ToDictionary(q => q, PhysicalRange));

    private static ValueRange PhysicalRange(Quantity quantity) => quantity switch
    {
        Quantity.Temperature => new ValueRange(-55, 125),
        Quantity.RelativeHumidity => new ValueRange(0, 100),
        Quantity.Pressure => new ValueRange(300, 1100),
        _ => throw new ArgumentOutOfRangeException(nameof(quantity), quantity, null),
    };

    private static bool Has(int mask, Quantity quantity) => (mask & (1 << (int)quantity)) != 0;

    private static int QuantityMask(in FleetPayload values) =>
        (values.Temperature.HasValue ? 1 << (int)Quantity.Temperature : 0)
        | (values.Humidity.HasValue ? 1 << (int)Quantity.RelativeHumidity : 0)
        | (values.Pressure.HasValue ? 1 << (int)Quantity.Pressure : 0);

    private static int QuantityMask(SensorDescriptor descriptor) => descriptor.Quantities.Aggregate(0, (mask, q) => mask | (1 << (int)q));

    private void Reject(MqttIncomingMessage message, IngestRejectionCause cause)
    {
        var payloadBytes = (int)message.Payload.Length;
        rejections.Report(cause, message.Topic, payloadBytes);
        if (options.Ingest.DeadLetterTopic is { Length: > 0 } deadLetterTopic)
        {
            ForwardToDeadLetter(deadLetterTopic, message, cause);
        }

        message.Acknowledge();
    }

    private void ForwardToDeadLetter(string deadLetterTopic, MqttIncomingMessage message, IngestRejectionCause cause)
    {
        if (!connection.IsConnected)
        {
            metrics.DeadLetterDropped();
            return;
        }

        if (Interlocked.Increment(ref pendingDeadLetters) > MaxPendingDeadLetters)
        {
            // Forwarding is best effort (QoS 0): under a flood, dropping forwards keeps the ingest fast.
            Interlocked.Decrement(ref pendingDeadLetters);
            metrics.DeadLetterDropped();
            return;
        }

        _ = PublishDeadLetterAsync(deadLetterTopic, DeadLetterPayload(message, cause));
    }

    private async Task PublishDeadLetterAsync(string topic, byte[] payload)
    {
        try
        {
            var deadLetter = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).Build();
            await connection.PublishAsync(deadLetter).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            metrics.DeadLetterDropped();
        }
        finally
        {
            Interlocked.Decrement(ref pendingDeadLetters);
        }
    }

    private byte[] DeadLetterPayload(MqttIncomingMessage message, IngestRejectionCause cause)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("gateway"u8, options.GatewayId);
            json.WriteString("topic"u8, message.Topic);
            json.WriteString("cause"u8, cause.Name());
            json.WriteString("receivedAt"u8, timeProvider.GetUtcNow());
            json.WriteNumber("payloadBytes"u8, message.Payload.Length);
            if (message.Payload.Length <= options.Ingest.MaxPayloadBytes)
            {
                json.WriteBase64String("payload"u8, message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray());
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(EventId = 121, Level = LogLevel.Debug, Message = "MQTT ingest: the event channel is closed; the message on '{Topic}' stays unacknowledged for redelivery")]
    private static partial void LogShuttingDown(ILogger logger, string topic);

    private sealed class FleetSensorState(string id, string source)
    {
        public string Id { get; } = id;

        public string Source { get; } = source;

        public long Sequence { get; set; }

        public int RegisteredQuantities { get; set; }
    }
}
