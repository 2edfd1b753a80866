using System.Diagnostics.Metrics;
using Floxide.Edge.Mqtt;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class IngestRejectionReporterTests
{
    [Fact]
    public void Report_ManyWithinInterval_LogsOncePerCauseThenAgainWithTheSuppressedCount()
    {
        using var meter = new Meter("reporter-test");
        var time = new FakeTimeProvider();
        var logger = new TestLogger<MqttFleetIngest>();
        var reporter = new IngestRejectionReporter(logger, time, TimeSpan.FromMinutes(1), new MqttMetrics(meter));

        for (var i = 0; i < 50; i++)
        {
            reporter.Report(IngestRejectionCause.InvalidJson, "fleet/a/reading", 10);
            reporter.Report(IngestRejectionCause.NoValues, "fleet/b/reading", 2);
        }

        Assert.Equal(2, logger.Entries.Count);
        time.Advance(TimeSpan.FromSeconds(59));
        reporter.Report(IngestRejectionCause.InvalidJson, "fleet/a/reading", 10);
        Assert.Equal(2, logger.Entries.Count);

        time.Advance(TimeSpan.FromSeconds(1));
        reporter.Report(IngestRejectionCause.InvalidJson, "fleet/a/reading", 10);

        Assert.Equal(3, logger.Entries.Count);
        Assert.Contains("invalid_json; 50 more of this cause", logger.Entries.Last().Message, StringComparison.Ordinal);
        Assert.Equal(52, reporter.Count(IngestRejectionCause.InvalidJson));
        Assert.Equal(50, reporter.Count(IngestRejectionCause.NoValues));
        Assert.Equal(102, reporter.Total);
    }
}
