using System.Buffers;
using System.Text.Json;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Mqtt;

/// <summary>The JSON payloads the gateway publishes; their schemas are documented in docs/mqtt.md.</summary>
internal static class MqttPayloads
{
    // Per reading: property names and quality words encoded once, not transcoded from strings on every write.
    private static readonly JsonEncodedText[] QuantityNames = [.. Enumerable.Range(0, QuantitySet.All.Length).Select(i => JsonEncodedText.Encode(((Quantity)i).Name()))];
    private static readonly JsonEncodedText Good = JsonEncodedText.Encode("good");
    private static readonly JsonEncodedText Suspect = JsonEncodedText.Encode("suspect");
    private static readonly JsonEncodedText Invalid = JsonEncodedText.Encode("invalid");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    /// <summary>A reading on <c>&lt;prefix&gt;/&lt;gateway&gt;/&lt;sensor&gt;/state</c>.</summary>
    public static byte[] Reading(SensorReading reading, string gatewayId)
    {
        return Write((reading, gatewayId), static (json, state) =>
        {
            var (reading, gatewayId) = state;
            json.WriteString("sensor"u8, reading.SensorId);
            json.WriteString("gateway"u8, gatewayId);
            json.WriteNumber("seq"u8, reading.Sequence);
            json.WriteString("timestamp"u8, reading.Timestamp);
            foreach (var quantity in QuantitySet.All)
            {
                if (reading.TryGetValue(quantity, out var value) && double.IsFinite(value))
                {
                    json.WriteNumber(QuantityNames[(int)quantity], Math.Round(value, 3));
                }
            }

            json.WriteString("quality"u8, QualityText(reading.Quality));
            if (reading.QualityReason is { } reason)
            {
                json.WriteString("qualityReason"u8, reason);
            }
        });
    }

    /// <summary>An alert transition on <c>&lt;prefix&gt;/&lt;gateway&gt;/&lt;sensor&gt;/alert/event</c>.</summary>
    public static byte[] AlertEvent(MqttAlert alert, string gatewayId) =>
        Write((alert, gatewayId), static (json, state) =>
        {
            var (alert, gatewayId) = state;
            json.WriteString("sensor"u8, alert.SensorId);
            json.WriteString("gateway"u8, gatewayId);
            json.WriteString("transition"u8, TransitionName(alert.Transition));
            json.WriteBoolean("active"u8, alert.IsActive);
            WriteAlertFields(json, alert);
        });

    /// <summary>A sensor's current alert state on <c>&lt;prefix&gt;/&lt;gateway&gt;/&lt;sensor&gt;/alert</c> (retained).</summary>
    public static byte[] AlertState(string sensorId, string gatewayId, IReadOnlyCollection<MqttAlert> active, DateTimeOffset timestamp) =>
        Write((sensorId, gatewayId, active, timestamp), static (json, state) =>
        {
            var (sensorId, gatewayId, active, timestamp) = state;
            json.WriteString("sensor"u8, sensorId);
            json.WriteString("gateway"u8, gatewayId);
            json.WriteString("state"u8, active.Count == 0 ? "ok" : "alert");
            json.WriteString("severity"u8, active.Count == 0 ? "none" : active.MaxBy(a => a.SeverityRank)!.Severity);
            json.WriteString("timestamp"u8, timestamp);
            json.WriteStartArray("alerts"u8);
            foreach (var alert in active.OrderByDescending(a => a.SeverityRank).ThenBy(a => a.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                WriteAlertFields(json, alert);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });

    private static void WriteAlertFields(Utf8JsonWriter json, MqttAlert alert)
    {
        json.WriteString("key"u8, alert.Key);
        json.WriteString("severity"u8, alert.Severity);
        json.WriteString("timestamp"u8, alert.Timestamp);
        json.WriteString("message"u8, alert.Message);
        if (alert.Quantity is { } quantity)
        {
            json.WriteString("quantity"u8, quantity);
        }

        if (alert.Value is { } value && double.IsFinite(value))
        {
            json.WriteNumber("value"u8, Math.Round(value, 3));
        }

        if (alert.Threshold is { } threshold && double.IsFinite(threshold))
        {
            json.WriteNumber("threshold"u8, threshold);
        }
    }

    private static JsonEncodedText QualityText(ReadingQuality quality) => quality switch
    {
        ReadingQuality.Good => Good,
        ReadingQuality.Suspect => Suspect,
        ReadingQuality.Invalid => Invalid,
        _ => JsonEncodedText.Encode(quality.ToString().ToLowerInvariant()),
    };

    private static string TransitionName(MqttAlertTransition transition) => transition switch
    {
        MqttAlertTransition.Raised => "raised",
        MqttAlertTransition.Renotified => "renotified",
        MqttAlertTransition.Cleared => "cleared",
        _ => transition.ToString().ToLowerInvariant(),
    };

    private static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> body)
    {
        var target = buffer ??= new ArrayBufferWriter<byte>(256);
        target.ResetWrittenCount();
        var json = writer ??= new Utf8JsonWriter(target);
        json.Reset(target);
        json.WriteStartObject();
        body(json, state);
        json.WriteEndObject();
        json.Flush();
        return target.WrittenSpan.ToArray();
    }
}
