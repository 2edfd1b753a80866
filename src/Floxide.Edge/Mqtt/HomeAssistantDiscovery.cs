using System.Buffers;
using System.Text;
using System.Text.Json;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery: one retained <c>&lt;prefix&gt;/sensor/&lt;node&gt;/&lt;object&gt;/config</c> per sensor
/// and quantity, with device info, the gateway's availability topic, unit, device class, state class and
/// <c>expire_after</c> from the sensor's interval. Announced on every connect, when a sensor appears, and again when
/// Home Assistant says <c>online</c> on its status topic; a sensor taken out of the configuration (or a quantity it
/// no longer measures) gets an empty retained config, which removes its entity.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed partial class HomeAssistantDiscovery
{
    private const int ConcurrentPublishes = 64;

    private readonly MqttOptions options;
    private readonly MqttConnection connection;
    private readonly SensorDirectory directory;
    private readonly ILogger<HomeAssistantDiscovery> logger;
    private readonly Dictionary<string, HashSet<Quantity>> announced = new(StringComparer.Ordinal);
    private readonly HashSet<string> pendingRemovals = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly string nodeId;
    private readonly string gatewayDevice;

    /// <summary>Creates the discovery and hooks it to the connection (before it starts) and the sensor directory.</summary>
    /// <param name="options">The MQTT options; <see cref="MqttOptions.HomeAssistant"/> is used.</param>
    /// <param name="connection">The broker connection, not yet started.</param>
    /// <param name="directory">The gateway's sensors.</param>
    /// <param name="logger">The logger.</param>
    public HomeAssistantDiscovery(MqttOptions options, MqttConnection connection, SensorDirectory directory, ILogger<HomeAssistantDiscovery> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(logger);
        this.options = options;
        this.connection = connection;
        this.directory = directory;
        this.logger = logger;
        nodeId = ObjectId($"floxide_{options.GatewayId}");
        gatewayDevice = nodeId;
        if (!options.HomeAssistant.Enabled)
        {
            return;
        }

        connection.Subscribe(options.HomeAssistant.StatusTopic, MqttQualityOfServiceLevel.AtLeastOnce, OnStatusAsync);
        connection.OnConnected((_, cancellationToken) => AnnounceAllAsync(cancellationToken));
        directory.Registered += descriptor => _ = AnnounceInBackgroundAsync(descriptor);
        directory.Removed += descriptor => _ = RemoveInBackgroundAsync(descriptor.Id);
    }

    /// <summary>The discovery config topic of a sensor's quantity.</summary>
    /// <param name="sensorId">The sensor's id.</param>
    /// <param name="quantity">The quantity.</param>
    /// <returns>The topic.</returns>
    public string ConfigTopic(string sensorId, Quantity quantity) =>
        $"{options.HomeAssistant.DiscoveryPrefix}/sensor/{nodeId}/{ObjectId($"{sensorId}_{quantity.Name()}")}/config";

    /// <summary>Announces every known sensor, and sends the removals that could not be sent while offline.</summary>
    /// <param name="cancellationToken">Cancels the announcement.</param>
    /// <returns>A task that completes when the broker has acknowledged every config.</returns>
    public async Task AnnounceAllAsync(CancellationToken cancellationToken = default)
    {
        string[] removals;
        lock (gate)
        {
            removals = [.. pendingRemovals];
            pendingRemovals.Clear();
        }

        foreach (var sensorId in removals)
        {
            await RemoveAsync(sensorId, cancellationToken).ConfigureAwait(false);
        }

        var sensors = directory.All.ToList();
        await PublishAsync(GatewayConfigTopic, GatewayConfig(), cancellationToken).ConfigureAwait(false);
        foreach (var chunk in sensors.Chunk(Math.Max(1, ConcurrentPublishes / 3)))
        {
            await Task.WhenAll(chunk.Select(sensor => AnnounceAsync(sensor, cancellationToken))).ConfigureAwait(false);
        }

        LogAnnounced(logger, sensors.Count, options.HomeAssistant.DiscoveryPrefix);
    }

    /// <summary>The discovery config topic of the gateway's own connectivity entity (the device the sensors are attached via).</summary>
    public string GatewayConfigTopic => $"{options.HomeAssistant.DiscoveryPrefix}/binary_sensor/{nodeId}/connectivity/config";

    private byte[] GatewayConfig()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name"u8, "Connectivity");
            json.WriteString("unique_id"u8, $"{nodeId}_connectivity");
            json.WriteString("state_topic"u8, connection.Topics.Availability);
            json.WriteString("payload_on"u8, MqttTopics.Online);
            json.WriteString("payload_off"u8, MqttTopics.Offline);
            json.WriteString("device_class"u8, "connectivity");
            json.WriteString("entity_category"u8, "diagnostic");
            json.WriteStartObject("device"u8);
            json.WriteStartArray("identifiers"u8);
            json.WriteStringValue(gatewayDevice);
            json.WriteEndArray();
            json.WriteString("name"u8, $"Floxide gateway {options.GatewayId}");
            json.WriteString("model"u8, "Floxide.Edge");
            json.WriteString("manufacturer"u8, "Floxide");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async ValueTask OnStatusAsync(MqttIncomingMessage message)
    {
        message.Acknowledge();
        var payload = message.Payload;
        if (payload.Length == 6 && Encoding.ASCII.GetString(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray()) == "online")
        {
            // Home Assistant restarted: it forgets non-retained state, so tell it everything again.
            LogHomeAssistantOnline(logger);
            await AnnounceAllAsync().ConfigureAwait(false);
        }
    }

    private async Task AnnounceInBackgroundAsync(SensorDescriptor descriptor)
    {
        if (connection.IsConnected)
        {
            await AnnounceAsync(descriptor, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task AnnounceAsync(SensorDescriptor sensor, CancellationToken cancellationToken)
    {
        HashSet<Quantity> dropped;
        lock (gate)
        {
            dropped = announced.TryGetValue(sensor.Id, out var before) ? [.. before.Except(sensor.Quantities)] : [];
            announced[sensor.Id] = [.. sensor.Quantities];
        }

        var publishes = sensor.Quantities.Select(q => PublishAsync(ConfigTopic(sensor.Id, q), Config(sensor, q), cancellationToken))
            .Concat(dropped.Select(q => PublishAsync(ConfigTopic(sensor.Id, q), [], cancellationToken)));
        await Task.WhenAll(publishes).ConfigureAwait(false);
    }

    private async Task RemoveInBackgroundAsync(string sensorId)
    {
        if (!connection.IsConnected)
        {
            lock (gate)
            {
                pendingRemovals.Add(sensorId);
            }

            return;
        }

        await RemoveAsync(sensorId, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RemoveAsync(string sensorId, CancellationToken cancellationToken)
    {
        HashSet<Quantity>? quantities;
        lock (gate)
        {
            announced.Remove(sensorId, out quantities);
        }

        // Unknown to this run (removed before it was announced): clear every quantity it could have had.
        await Task.WhenAll((quantities ?? [.. Quantities.All]).Select(q => PublishAsync(ConfigTopic(sensorId, q), [], cancellationToken))).ConfigureAwait(false);
        LogRemoved(logger, sensorId);
    }

    private async Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag()
                .Build();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Publish.AckTimeout);
            await connection.PublishAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            // Announced again on the next connect.
            LogPublishFailed(logger, topic, exception.Message);
        }
    }

    private byte[] Config(SensorDescriptor sensor, Quantity quantity)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var json = new Utf8JsonWriter(buffer))
        {
            var topics = connection.Topics;
            json.WriteStartObject();
            json.WriteString("name"u8, EntityName(quantity));
            json.WriteString("unique_id"u8, $"{nodeId}_{ObjectId(sensor.Id)}_{quantity.Name()}");
            json.WriteString("object_id"u8, ObjectId($"{sensor.Id}_{quantity.Name()}"));
            json.WriteString("state_topic"u8, topics.State(sensor.Id));
            json.WriteString("value_template"u8, $"{{{{ value_json.{quantity.Name()} }}}}");
            json.WriteString("unit_of_measurement"u8, quantity.Unit());
            json.WriteString("device_class"u8, DeviceClass(quantity));
            json.WriteString("state_class"u8, "measurement");
            json.WriteNumber("suggested_display_precision"u8, quantity == Quantity.RelativeHumidity ? 0 : 1);
            json.WriteNumber("expire_after"u8, (long)Math.Ceiling(sensor.Interval.TotalSeconds * options.HomeAssistant.ExpireAfterIntervals));
            json.WriteString("availability_topic"u8, topics.Availability);
            json.WriteString("payload_available"u8, MqttTopics.Online);
            json.WriteString("payload_not_available"u8, MqttTopics.Offline);
            json.WriteString("json_attributes_topic"u8, topics.State(sensor.Id));
            json.WriteString("json_attributes_template"u8, "{{ {'seq': value_json.seq, 'quality': value_json.quality, 'timestamp': value_json.timestamp} | tojson }}");
            json.WriteStartObject("device"u8);
            json.WriteStartArray("identifiers"u8);
            json.WriteStringValue($"{nodeId}_{ObjectId(sensor.Id)}");
            json.WriteEndArray();
            json.WriteString("name"u8, sensor.DisplayName);
            json.WriteString("model"u8, sensor.Model);
            json.WriteString("manufacturer"u8, "Floxide");
            json.WriteString("via_device"u8, gatewayDevice);
            json.WriteEndObject();
            json.WriteStartObject("origin"u8);
            json.WriteString("name"u8, "Floxide.Edge");
            json.WriteString("sw_version"u8, typeof(HomeAssistantDiscovery).Assembly.GetName().Version?.ToString(3) ?? "0");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string EntityName(Quantity quantity) => quantity switch
    {
        Quantity.Temperature => "Temperature",
        Quantity.RelativeHumidity => "Humidity",
        Quantity.Pressure => "Pressure",
        _ => quantity.Name(),
    };

    private static string DeviceClass(Quantity quantity) => quantity switch
    {
        Quantity.Temperature => "temperature",
        Quantity.RelativeHumidity => "humidity",
        Quantity.Pressure => "atmospheric_pressure",
        _ => quantity.Name(),
    };

    /// <summary>Home Assistant ids allow letters, digits, <c>_</c> and <c>-</c>; anything else becomes <c>_</c>.</summary>
    private static string ObjectId(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_';
            }
        });

    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Home Assistant: announced {Count} sensor(s) under '{Prefix}'")]
    private static partial void LogAnnounced(ILogger logger, int count, string prefix);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Home Assistant came online; announcing every sensor again")]
    private static partial void LogHomeAssistantOnline(ILogger logger);

    [LoggerMessage(EventId = 142, Level = LogLevel.Information, Message = "Home Assistant: removed the entities of sensor '{SensorId}'")]
    private static partial void LogRemoved(ILogger logger, string sensorId);

    [LoggerMessage(EventId = 143, Level = LogLevel.Debug, Message = "Home Assistant: publishing '{Topic}' failed ({Reason}); it is sent again on the next connect")]
    private static partial void LogPublishFailed(ILogger logger, string topic, string reason);
}
