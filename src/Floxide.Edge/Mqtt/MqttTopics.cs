using System.Collections.Concurrent;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// The topics the gateway publishes to, all under <c>&lt;prefix&gt;/&lt;gateway&gt;/</c>: availability, and per sensor
/// its state (readings), its current alert state and its alert events. See docs/mqtt.md.
/// </summary>
public sealed class MqttTopics
{
    private readonly ConcurrentDictionary<string, SensorTopics> perSensor = new(StringComparer.Ordinal);
    private readonly string root;

    /// <summary>Creates the topic layout of one gateway.</summary>
    /// <param name="prefix">The first topic level(s), e.g. <c>floxide</c>.</param>
    /// <param name="gatewayId">The gateway's id.</param>
    public MqttTopics(string prefix, string gatewayId)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentException.ThrowIfNullOrEmpty(gatewayId);
        root = $"{prefix}/{gatewayId}";
        Availability = $"{root}/availability";
    }

    /// <summary>The gateway's availability: <c>online</c> or <c>offline</c>, retained (the Last Will).</summary>
    public string Availability { get; }

    /// <summary>The payload of <see cref="Availability"/> while the gateway is connected.</summary>
    public static string Online => "online";

    /// <summary>The payload of <see cref="Availability"/> after the gateway is gone.</summary>
    public static string Offline => "offline";

    /// <summary>Creates the topic layout from the options.</summary>
    /// <param name="options">The MQTT options.</param>
    /// <returns>The topics.</returns>
    public static MqttTopics From(MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MqttTopics(options.TopicPrefix, options.GatewayId);
    }

    /// <summary>A sensor's readings: <c>&lt;prefix&gt;/&lt;gateway&gt;/&lt;sensor&gt;/state</c>.</summary>
    /// <param name="sensorId">The sensor's id.</param>
    /// <returns>The topic.</returns>
    public string State(string sensorId) => For(sensorId).State;

    /// <summary>A sensor's current alert state, retained: <c>&lt;prefix&gt;/&lt;gateway&gt;/&lt;sensor&gt;/alert</c>.</summary>
    /// <param name="sensorId">The sensor's id.</param>
    /// <returns>The topic.</returns>
    public string Alert(string sensorId) => For(sensorId).Alert;

    /// <summary>A sensor's alert events (raised, cleared, re-notified): <c>&lt;prefix&gt;/&lt;gateway&gt;/&lt;sensor&gt;/alert/event</c>.</summary>
    /// <param name="sensorId">The sensor's id.</param>
    /// <returns>The topic.</returns>
    public string AlertEvent(string sensorId) => For(sensorId).AlertEvent;

    private SensorTopics For(string sensorId) =>
        perSensor.GetOrAdd(sensorId, static (id, root) => new SensorTopics($"{root}/{id}/state", $"{root}/{id}/alert", $"{root}/{id}/alert/event"), root);

    private sealed record SensorTopics(string State, string Alert, string AlertEvent);
}
