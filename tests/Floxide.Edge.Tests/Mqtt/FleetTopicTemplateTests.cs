using Floxide.Edge.Mqtt;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class FleetTopicTemplateTests
{
    [Theory]
    [InlineData("fleet/{sensorId}/reading", "fleet/+/reading")]
    [InlineData("sites/+/{sensorId}/{quantity}", "sites/+/+/+")]
    [InlineData("fleet/{sensorId}/#", "fleet/+/#")]
    public void Parse_ValidTemplate_DerivesFilter(string template, string filter) =>
        Assert.Equal(filter, FleetTopicTemplate.Parse(template).Filter);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("fleet/reading", "no '{sensorId}'")]
    [InlineData("fleet/#/{sensorId}", "'#' may only be the last level")]
    [InlineData("fleet/{sensorId}/{sensorId}", "more than once")]
    [InlineData("fleet/x{sensorId}/reading", "mixes text")]
    [InlineData("$share/g/fleet/{sensorId}", "SharedGroup")]
    public void TryParse_InvalidTemplate_SaysWhy(string template, string expected)
    {
        Assert.False(FleetTopicTemplate.TryParse(template, Quantity.Temperature, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fleet/{sensorId}/reading", "fleet/t-17/reading", true, "t-17", "")]
    [InlineData("fleet/{sensorId}/reading", "fleet/t-17/other", false, "", "")]
    [InlineData("fleet/{sensorId}/reading", "fleet/t-17", false, "", "")]
    [InlineData("fleet/{sensorId}/reading", "fleet/t-17/reading/x", false, "", "")]
    [InlineData("fleet/{sensorId}/reading", "fleet//reading", true, "", "")]
    [InlineData("sites/+/{sensorId}/{quantity}", "sites/north/t1/humidity", true, "t1", "humidity")]
    [InlineData("fleet/{sensorId}/#", "fleet/t1/a/b", true, "t1", "")]
    [InlineData("fleet/{sensorId}/#", "fleet/t1", true, "t1", "")]
    public void TryMatch_Topic_TakesOutSensorIdAndQuantity(string template, string topic, bool matches, string sensorId, string quantity)
    {
        var parsed = FleetTopicTemplate.Parse(template);
        Assert.Equal(matches, parsed.TryMatch(topic, out var id, out var q));
        if (matches)
        {
            Assert.Equal(sensorId, id.ToString());
            Assert.Equal(quantity, q.ToString());
        }
    }
}
