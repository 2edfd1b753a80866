using System.ComponentModel.DataAnnotations;
using Floxide.Edge.Readings;
using Floxide.Edge.OptionRules;

namespace Floxide.Edge.Mqtt;

/// <summary>Fleet ingest settings, under <c>Floxide:Mqtt:Ingest</c>.</summary>
public sealed class MqttIngestOptions
{
    /// <summary>The topics to take readings from. Empty means no fleet ingest.</summary>
    public IList<MqttSubscriptionOptions> Subscriptions { get; set; } = [];

    /// <summary>
    /// When set, every subscription is made as the MQTT 5 shared subscription <c>$share/&lt;group&gt;/&lt;filter&gt;</c>,
    /// so the gateways of one group split the fleet's messages between them.
    /// </summary>
    /// <value>Letters, digits, <c>-</c> and <c>_</c>; the default, <see langword="null"/>, is a plain subscription.</value>
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Floxide:Mqtt:Ingest:SharedGroup must be 1 to 64 letters, digits, '-' or '_'.")]
    public string? SharedGroup { get; set; }

    /// <summary>Payload field names.</summary>
    public MqttPayloadFieldOptions Fields { get; set; } = new();

    /// <summary>The largest payload accepted, in bytes.</summary>
    /// <value>16 to 262 144. The default is 4096.</value>
    [Range(16, 262_144)]
    public int MaxPayloadBytes { get; set; } = 4096;

    /// <summary>The longest sensor id accepted.</summary>
    /// <value>1 to 256. The default is 64.</value>
    [Range(1, 256)]
    public int MaxSensorIdLength { get; set; } = 64;

    /// <summary>
    /// The most distinct fleet sensors the gateway takes in; messages of further new ids are rejected, so a publisher
    /// inventing ids cannot grow the gateway's memory, its sensor list and Home Assistant without bound.
    /// </summary>
    /// <value>1 to 1 000 000. The default is 10 000.</value>
    [Range(1, 1_000_000)]
    public int MaxSensors { get; set; } = 10_000;

    /// <summary>How often at most each kind of rejected payload is logged; every one is counted.</summary>
    /// <value>1 second to 1 day. The default is 1 minute.</value>
    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan RejectionLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A topic to forward rejected payloads to (QoS 0, with the cause and source topic); null forwards nothing.</summary>
    public string? DeadLetterTopic { get; set; }

    /// <summary>
    /// The most unacknowledged QoS 1 messages the broker may send at once (MQTT 5 receive maximum): the ingest's
    /// backpressure. 0 leaves it to the broker.
    /// </summary>
    /// <value>0 to 65 535. The default is 0.</value>
    [Range(0, 65_535)]
    public int ReceiveMaximum { get; set; }

    /// <summary>What a fleet sensor seen for the first time is registered as.</summary>
    public FleetSensorOptions NewSensors { get; set; } = new();
}

/// <summary>One ingest subscription, under <c>Floxide:Mqtt:Ingest:Subscriptions:&lt;n&gt;</c>.</summary>
public sealed class MqttSubscriptionOptions
{
    /// <summary>
    /// The topic template: topic levels, where <c>{sensorId}</c> (required) takes the sensor's id and
    /// <c>{quantity}</c> (optional) takes <c>temperature</c>, <c>humidity</c> or <c>pressure</c>; <c>+</c> matches
    /// any level and a trailing <c>#</c> any rest. The subscription's filter is the template with each placeholder
    /// replaced by <c>+</c>.
    /// </summary>
    /// <value>For example <c>fleet/{sensorId}/reading</c> or <c>sites/+/{sensorId}/{quantity}</c>.</value>
    [Required]
    public string Topic { get; set; } = "";

    /// <summary>The quantity of a bare-number payload on a topic without <c>{quantity}</c>.</summary>
    /// <value>The default is <see cref="Quantity.Temperature"/>.</value>
    public Quantity BareNumberQuantity { get; set; } = Quantity.Temperature;
}

/// <summary>The JSON field names of fleet payloads, under <c>Floxide:Mqtt:Ingest:Fields</c>.</summary>
public sealed class MqttPayloadFieldOptions
{
    /// <summary>The temperature field, in °C.</summary>
    [Required]
    public string Temperature { get; set; } = "temperature";

    /// <summary>The relative humidity field, in %.</summary>
    [Required]
    public string Humidity { get; set; } = "humidity";

    /// <summary>The barometric pressure field, in hPa.</summary>
    [Required]
    public string Pressure { get; set; } = "pressure";

    /// <summary>The timestamp field: an ISO 8601 string, or Unix time in seconds (a number); optional in payloads.</summary>
    [Required]
    public string Timestamp { get; set; } = "timestamp";

    /// <summary>The sensor's own sequence number field; optional in payloads (the gateway counts when absent).</summary>
    [Required]
    public string Sequence { get; set; } = "seq";

    /// <summary>The field name of <paramref name="quantity"/>.</summary>
    /// <param name="quantity">A quantity.</param>
    /// <returns>Its field name.</returns>
    public string For(Quantity quantity) => quantity switch
    {
        Quantity.Temperature => Temperature,
        Quantity.RelativeHumidity => Humidity,
        Quantity.Pressure => Pressure,
        _ => throw new ArgumentOutOfRangeException(nameof(quantity), quantity, null),
    };
}

/// <summary>How a fleet sensor seen for the first time is described, under <c>Floxide:Mqtt:Ingest:NewSensors</c>.</summary>
public sealed class FleetSensorOptions
{
    /// <summary>The model name given to such sensors.</summary>
    /// <value>The default is <c>generic</c>.</value>
    [Required]
    public string Model { get; set; } = "generic";

    /// <summary>How often such sensors are expected to report (stale checks, Home Assistant's <c>expire_after</c>).</summary>
    /// <value>1 second to 1 day. The default is 60 seconds.</value>
    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);
}
