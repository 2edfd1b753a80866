using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Floxide.Edge.Tests.Alerts;

public sealed class LogAlertSinkTests
{
    [Theory]
    [InlineData(AlertTransition.Raised, Severity.Warning, LogLevel.Warning)]
    [InlineData(AlertTransition.Raised, Severity.Critical, LogLevel.Error)]
    [InlineData(AlertTransition.Renotified, Severity.Critical, LogLevel.Error)]
    [InlineData(AlertTransition.Escalated, Severity.Critical, LogLevel.Error)]
    [InlineData(AlertTransition.Deescalated, Severity.Warning, LogLevel.Information)]
    [InlineData(AlertTransition.Cleared, Severity.Critical, LogLevel.Information)]
    [InlineData(AlertTransition.Restored, Severity.Critical, LogLevel.Information)]
    public async Task PublishAsync_LogsAtTheLevelOfTransitionAndSeverity(AlertTransition transition, Severity severity, LogLevel level)
    {
        var logger = new FakeLogger<LogAlertSink>();
        var alert = new Alert
        {
            Id = "cellar/temperature", Kind = AlertKind.Threshold, Severity = severity, SensorId = "cellar",
            RaisedAt = EdgeTestKit.Start, ChangedAt = EdgeTestKit.Start, Message = "cellar temperature 33 °C at or beyond critical-high threshold 32 °C",
        };

        await new LogAlertSink(logger).PublishAsync(new AlertNotification(7, transition, alert, Severity.Normal, EdgeTestKit.Start));

        var record = logger.LatestRecord;
        Assert.Equal(level, record.Level);
        Assert.Equal($"Alert {transition} ({severity}) cellar/temperature: cellar temperature 33 °C at or beyond critical-high threshold 32 °C [#7]", record.Message);
    }
}
