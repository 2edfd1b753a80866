using System.Buffers;
using System.Text;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class FleetPayloadParserTests
{
    private readonly FleetPayloadParser parser = new(new MqttPayloadFieldOptions(), maxPayloadBytes: 256);

    private bool Parse(string payload, out FleetPayload values, out IngestRejectionCause cause, Quantity bare = Quantity.Temperature) =>
        parser.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), bare, out values, out cause);

    [Fact]
    public void TryParse_JsonObject_ReadsEveryConfiguredField()
    {
        Assert.True(Parse("""{"temperature":21.5,"humidity":40,"pressure":1013.2,"timestamp":"2026-11-25T10:00:00Z","seq":42,"other":{"x":[1]}}""", out var values, out _));
        Assert.Equal(21.5, values.Temperature);
        Assert.Equal(40, values.Humidity);
        Assert.Equal(1013.2, values.Pressure);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T10:00:00Z"), values.Timestamp);
        Assert.Equal(42, values.Sequence);
    }

    [Fact]
    public void TryParse_CustomFieldNames_ReadsThem()
    {
        var custom = new FleetPayloadParser(new MqttPayloadFieldOptions { Temperature = "t", Humidity = "rh", Timestamp = "ts" }, 256);
        Assert.True(custom.TryParse(new ReadOnlySequence<byte>("""{"t":-3.5,"rh":99,"ts":1764064800}"""u8.ToArray()), Quantity.Temperature, out var values, out _));
        Assert.Equal(-3.5, values.Temperature);
        Assert.Equal(99, values.Humidity);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764064800), values.Timestamp);
    }

    [Theory]
    [InlineData("21.5", 21.5)]
    [InlineData(" -4 \n", -4)]
    [InlineData("1e2", 100)]
    public void TryParse_BareNumber_IsTheTopicsQuantity(string payload, double expected)
    {
        Assert.True(Parse(payload, out var values, out _, Quantity.RelativeHumidity));
        Assert.Equal(expected, values.Humidity);
        Assert.Null(values.Temperature);
    }

    [Fact]
    public void TryParse_UnixMilliseconds_AreRecognised()
    {
        Assert.True(Parse("""{"temperature":1,"timestamp":1764064800123}""", out var values, out _));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764064800123), values.Timestamp);
    }

    [Theory]
    [InlineData("", IngestRejectionCause.EmptyPayload)]
    [InlineData("   ", IngestRejectionCause.EmptyPayload)]
    [InlineData("{\"temperature\": 2", IngestRejectionCause.InvalidJson)]
    [InlineData("{\"temperature\": 2}}", IngestRejectionCause.InvalidJson)]
    [InlineData("hello", IngestRejectionCause.InvalidJson)]
    [InlineData("[1,2]", IngestRejectionCause.UnexpectedShape)]
    [InlineData("\"21.5\"", IngestRejectionCause.UnexpectedShape)]
    [InlineData("true", IngestRejectionCause.UnexpectedShape)]
    [InlineData("{}", IngestRejectionCause.NoValues)]
    [InlineData("{\"temp\":1}", IngestRejectionCause.NoValues)]
    [InlineData("{\"temperature\":null}", IngestRejectionCause.NoValues)]
    [InlineData("{\"temperature\":\"21\"}", IngestRejectionCause.ValueNotNumber)]
    [InlineData("{\"temperature\":1e999}", IngestRejectionCause.ValueNotFinite)]
    [InlineData("NaN", IngestRejectionCause.ValueNotFinite)]
    [InlineData("-Infinity", IngestRejectionCause.ValueNotFinite)]
    [InlineData("1e999", IngestRejectionCause.ValueNotFinite)]
    [InlineData("{\"temperature\":1,\"timestamp\":\"yesterday\"}", IngestRejectionCause.InvalidTimestamp)]
    [InlineData("{\"temperature\":1,\"timestamp\":-5}", IngestRejectionCause.InvalidTimestamp)]
    [InlineData("{\"temperature\":1,\"timestamp\":1e300}", IngestRejectionCause.InvalidTimestamp)]
    [InlineData("{\"temperature\":1,\"seq\":-1}", IngestRejectionCause.InvalidSequence)]
    [InlineData("{\"temperature\":1,\"seq\":1.5}", IngestRejectionCause.InvalidSequence)]
    [InlineData("{\"temperature\":1,\"seq\":\"7\"}", IngestRejectionCause.InvalidSequence)]
    public void TryParse_BadPayload_NamesTheCause(string payload, IngestRejectionCause expected)
    {
        Assert.False(Parse(payload, out _, out var cause));
        Assert.Equal(expected, cause);
    }

    [Fact]
    public void TryParse_TooLarge_IsRejectedBeforeParsing()
    {
        var payload = "{\"temperature\":1,\"pad\":\"" + new string('x', 300) + "\"}";
        Assert.False(Parse(payload, out _, out var cause));
        Assert.Equal(IngestRejectionCause.PayloadTooLarge, cause);
    }

    [Fact]
    public void TryParse_InvalidUtf8_IsInvalidJson()
    {
        Assert.False(parser.TryParse(new ReadOnlySequence<byte>([0xFF, 0xFE, 0x31]), Quantity.Temperature, out _, out var cause));
        Assert.Equal(IngestRejectionCause.InvalidJson, cause);
    }

    [Fact]
    public void TryParse_DeeplyNested_IsInvalidJsonNotACrash()
    {
        var payload = "{\"x\":" + new string('[', 100) + new string(']', 100) + ",\"temperature\":1}";
        Assert.False(Parse(payload, out _, out var cause));
        Assert.Equal(IngestRejectionCause.InvalidJson, cause);
    }
}
