using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Mqtt;

/// <summary>The values taken out of one fleet payload.</summary>
internal struct FleetPayload
{
    public double? Temperature;
    public double? Humidity;
    public double? Pressure;
    public DateTimeOffset? Timestamp;
    public long? Sequence;

    public readonly bool HasAnyValue => Temperature.HasValue || Humidity.HasValue || Pressure.HasValue;

    public void Set(Quantity quantity, double value)
    {
        switch (quantity)
        {
            case Quantity.Temperature: Temperature = value; break;
            case Quantity.RelativeHumidity: Humidity = value; break;
            case Quantity.Pressure: Pressure = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(quantity), quantity, null);
        }
    }
}

/// <summary>
/// Parses fleet payloads: a JSON object with the configured field names, or a bare number (plain text or a JSON
/// number) for the topic's single quantity. Nothing is trusted: sizes, shapes, numbers and timestamps are checked,
/// and every failure names its <see cref="IngestRejectionCause"/>.
/// </summary>
internal sealed class FleetPayloadParser
{
    // Unix times above this are taken as milliseconds: 1e11 seconds is in the year 5138.
    private const double MillisecondsThreshold = 1e11;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow };

    private readonly byte[][] quantityFields;
    private readonly byte[] timestampField;
    private readonly byte[] sequenceField;
    private readonly int maxPayloadBytes;

    public FleetPayloadParser(MqttPayloadFieldOptions fields, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(fields);
        quantityFields = [.. Quantities.All.Select(q => Encoding.UTF8.GetBytes(fields.For(q)))];
        timestampField = Encoding.UTF8.GetBytes(fields.Timestamp);
        sequenceField = Encoding.UTF8.GetBytes(fields.Sequence);
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /// <summary>Parses <paramref name="payload"/>.</summary>
    /// <param name="payload">The message payload.</param>
    /// <param name="bareNumberQuantity">The quantity a bare number stands for.</param>
    /// <param name="values">The values, when the payload is accepted.</param>
    /// <param name="cause">Why it was rejected, when it is not accepted.</param>
    /// <returns><see langword="true"/> when the payload is accepted.</returns>
    public bool TryParse(ReadOnlySequence<byte> payload, Quantity bareNumberQuantity, out FleetPayload values, out IngestRejectionCause cause)
    {
        values = default;
        if (payload.Length > maxPayloadBytes)
        {
            cause = IngestRejectionCause.PayloadTooLarge;
            return false;
        }

        ReadOnlySpan<byte> span = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        span = span.Trim(" \t\r\n"u8);
        if (span.IsEmpty)
        {
            cause = IngestRejectionCause.EmptyPayload;
            return false;
        }

        return span[0] == (byte)'{'
            ? TryParseObject(span, ref values, out cause)
            : TryParseBareNumber(span, bareNumberQuantity, ref values, out cause);
    }

    private static bool TryParseBareNumber(ReadOnlySpan<byte> span, Quantity quantity, ref FleetPayload values, out IngestRejectionCause cause)
    {
        if (Utf8Parser.TryParse(span, out double value, out var consumed) && consumed == span.Length)
        {
            return TryAccept(quantity, value, ref values, out cause);
        }

        // Not a plain number: "NaN" and "Infinity" parse as text only, anything else is JSON of the wrong shape or no JSON.
        if (double.TryParse(Encoding.UTF8.GetString(span), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsFinite(value))
        {
            cause = IngestRejectionCause.ValueNotFinite;
            return false;
        }

        cause = IsValidJson(span) ? IngestRejectionCause.UnexpectedShape : IngestRejectionCause.InvalidJson;
        return false;
    }

    private static bool TryAccept(Quantity quantity, double value, ref FleetPayload values, out IngestRejectionCause cause)
    {
        if (!double.IsFinite(value))
        {
            cause = IngestRejectionCause.ValueNotFinite;
            return false;
        }

        values.Set(quantity, value);
        cause = default;
        return true;
    }

    private static bool IsValidJson(ReadOnlySpan<byte> span)
    {
        try
        {
            var reader = new Utf8JsonReader(span, ReaderOptions);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool TryParseObject(ReadOnlySpan<byte> span, ref FleetPayload values, out IngestRejectionCause cause)
    {
        try
        {
            var reader = new Utf8JsonReader(span, ReaderOptions);
            reader.Read();
            IngestRejectionCause? firstProblem = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref reader);
                reader.Read();
                if (field.Kind == FieldKind.Other)
                {
                    reader.Skip();
                    continue;
                }

                firstProblem ??= ReadField(ref reader, field, ref values);
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                cause = IngestRejectionCause.InvalidJson;
                return false;
            }

            if (firstProblem is { } problem)
            {
                cause = problem;
                return false;
            }
        }
        catch (JsonException)
        {
            cause = IngestRejectionCause.InvalidJson;
            return false;
        }

        cause = IngestRejectionCause.NoValues;
        return values.HasAnyValue;
    }

    private static IngestRejectionCause? ReadField(ref Utf8JsonReader reader, Field field, ref FleetPayload values)
    {
        switch (field.Kind)
        {
            case FieldKind.Quantity when reader.TokenType == JsonTokenType.Null:
                return null;
            case FieldKind.Quantity when reader.TokenType != JsonTokenType.Number:
                reader.Skip();
                return IngestRejectionCause.ValueNotNumber;
            case FieldKind.Quantity:
                return !reader.TryGetDouble(out var value) ? IngestRejectionCause.ValueNotFinite
                    : TryAccept(field.Quantity, value, ref values, out var cause) ? null : cause;
            case FieldKind.Timestamp:
                return TryReadTimestamp(ref reader, out values.Timestamp) ? null : IngestRejectionCause.InvalidTimestamp;
            case FieldKind.Sequence when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var sequence) && sequence >= 0:
                values.Sequence = sequence;
                return null;
            default:
                reader.Skip();
                return IngestRejectionCause.InvalidSequence;
        }
    }

    private static bool TryReadTimestamp(ref Utf8JsonReader reader, out DateTimeOffset? timestamp)
    {
        timestamp = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String when reader.TryGetDateTimeOffset(out var parsed):
                timestamp = parsed;
                return true;
            case JsonTokenType.Number when reader.TryGetDouble(out var unix) && double.IsFinite(unix) && unix >= 0:
                var milliseconds = unix >= MillisecondsThreshold ? unix : unix * 1000;
                if (milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                {
                    return false;
                }

                timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
                return true;
            default:
                reader.Skip();
                return false;
        }
    }

    private Field FieldOf(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < quantityFields.Length; i++)
        {
            if (reader.ValueTextEquals(quantityFields[i]))
            {
                return new Field(FieldKind.Quantity, Quantities.All[i]);
            }
        }

        if (reader.ValueTextEquals(timestampField))
        {
            return new Field(FieldKind.Timestamp, default);
        }

        return reader.ValueTextEquals(sequenceField) ? new Field(FieldKind.Sequence, default) : new Field(FieldKind.Other, default);
    }

    private enum FieldKind
    {
        Other,
        Quantity,
        Timestamp,
        Sequence,
    }

    private readonly record struct Field(FieldKind Kind, Quantity Quantity);
}
