namespace Floxide.Edge.Mqtt;

/// <summary>Why an ingested MQTT message was rejected; each cause is counted and logged on its own.</summary>
public enum IngestRejectionCause
{
    /// <summary>The topic matches no configured topic template (e.g. a broader filter or a shared subscription).</summary>
    UnmatchedTopic,

    /// <summary>The sensor id level is empty, too long, or has a wildcard, separator or control character.</summary>
    InvalidSensorId,

    /// <summary>The topic's <c>{quantity}</c> level names no known quantity.</summary>
    UnknownQuantity,

    /// <summary>The payload is larger than <see cref="MqttIngestOptions.MaxPayloadBytes"/>.</summary>
    PayloadTooLarge,

    /// <summary>The payload is empty.</summary>
    EmptyPayload,

    /// <summary>The payload is neither valid JSON nor a bare number (this includes invalid UTF-8).</summary>
    InvalidJson,

    /// <summary>The payload is valid JSON but neither an object nor a number.</summary>
    UnexpectedShape,

    /// <summary>The JSON object has none of the configured quantity fields.</summary>
    NoValues,

    /// <summary>A quantity field is not a number.</summary>
    ValueNotNumber,

    /// <summary>A value is not finite (NaN, infinity, or out of the double range).</summary>
    ValueNotFinite,

    /// <summary>The timestamp field is neither an ISO 8601 string nor a Unix time in range.</summary>
    InvalidTimestamp,

    /// <summary>The sequence field is not a non-negative integer.</summary>
    InvalidSequence,

    /// <summary>A new sensor id would exceed <see cref="MqttIngestOptions.MaxSensors"/> (a misbehaving or hostile publisher).</summary>
    TooManySensors,
}

/// <summary>Names of <see cref="IngestRejectionCause"/> values as used in metric tags, logs and dead letters.</summary>
public static class IngestRejectionCauses
{
    private static readonly string[] Names =
    [
        "unmatched_topic", "invalid_sensor_id", "unknown_quantity", "payload_too_large", "empty_payload", "invalid_json",
        "unexpected_shape", "no_values", "value_not_number", "value_not_finite", "invalid_timestamp", "invalid_sequence",
        "too_many_sensors",
    ];

    /// <summary>Every cause, in declaration order.</summary>
    public static IReadOnlyList<IngestRejectionCause> All { get; } = Enum.GetValues<IngestRejectionCause>();

    /// <summary>The cause's snake_case name, e.g. <c>invalid_json</c>.</summary>
    /// <param name="cause">The cause.</param>
    /// <returns>Its name.</returns>
    public static string Name(this IngestRejectionCause cause) => Names[(int)cause];
}
