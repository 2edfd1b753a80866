using System.Diagnostics.Metrics;
using Floxide.Edge.Gateway.Metrics;

namespace Floxide.Edge.Gateway.Tests.Metrics;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Scrape_CounterWithTagsInAnyOrder_OneSeriesPerTagSetWithTotalSuffix()
    {
        using var meter = new Meter($"test.{Guid.NewGuid():N}");
        using var exporter = new PrometheusExporter([meter.Name]);
        var counter = meter.CreateCounter<long>("floxide.events.processed", "{event}", "Events processed.");

        counter.Add(2, new("workflow.name", "gw"), new("node.id", "a"));
        counter.Add(3, new("node.id", "a"), new("workflow.name", "gw"));
        counter.Add(1, new("node.id", "b\"q"), new("workflow.name", "gw"));

        var text = exporter.Scrape();

        Assert.Contains("# HELP floxide_events_processed_total Events processed.\n# TYPE floxide_events_processed_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("floxide_events_processed_total{node_id=\"a\",workflow_name=\"gw\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("floxide_events_processed_total{node_id=\"b\\\"q\",workflow_name=\"gw\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrape_HistogramInSeconds_CumulativeBucketsSumAndCount()
    {
        using var meter = new Meter($"test.{Guid.NewGuid():N}");
        using var exporter = new PrometheusExporter([meter.Name]);
        var histogram = meter.CreateHistogram<double>("floxide.node.duration", "s", null, null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 1] });

        histogram.Record(0.005);
        histogram.Record(0.05);
        histogram.Record(0.05);
        histogram.Record(5);

        var text = exporter.Scrape();

        Assert.Contains("# TYPE floxide_node_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("floxide_node_duration_seconds_bucket{le=\"0.01\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("floxide_node_duration_seconds_bucket{le=\"0.1\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("floxide_node_duration_seconds_bucket{le=\"1\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("floxide_node_duration_seconds_bucket{le=\"+Inf\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("floxide_node_duration_seconds_sum 5.105\n", text, StringComparison.Ordinal);
        Assert.Contains("floxide_node_duration_seconds_count 4\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrape_ObservableAndUpDownInstruments_AreGaugesWithCurrentValues()
    {
        using var meter = new Meter($"test.{Guid.NewGuid():N}");
        using var exporter = new PrometheusExporter([meter.Name]);
        var depth = 7L;
        meter.CreateObservableUpDownCounter("floxide.outbox.depth", () => depth, "{message}");
        meter.CreateObservableGauge("floxide.gateway.healthy", () => 1, "1");
        var queued = meter.CreateUpDownCounter<int>("floxide.queue.length", "{event}");
        queued.Add(5);
        queued.Add(-2);

        var first = exporter.Scrape();
        depth = 3;
        var second = exporter.Scrape();

        Assert.Contains("# TYPE floxide_outbox_depth gauge\nfloxide_outbox_depth 7\n", first, StringComparison.Ordinal);
        Assert.Contains("floxide_outbox_depth 3\n", second, StringComparison.Ordinal);
        Assert.Contains("floxide_gateway_healthy 1\n", second, StringComparison.Ordinal);
        Assert.Contains("# TYPE floxide_queue_length gauge\nfloxide_queue_length 3\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrape_OtherMeters_AreNotExported()
    {
        using var meter = new Meter($"test.{Guid.NewGuid():N}");
        using var other = new Meter($"other.{Guid.NewGuid():N}");
        using var exporter = new PrometheusExporter([meter.Name]);
        other.CreateCounter<long>("secret.counter").Add(1);

        Assert.DoesNotContain("secret_counter", exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Scrape_MoreTagSetsThanTheCap_KeepsTheFirstSeriesAndCountsTheDroppedMeasurements()
    {
        using var meter = new Meter($"test.{Guid.NewGuid():N}");
        using var exporter = new PrometheusExporter([meter.Name], maxSeriesPerInstrument: 3);
        var counter = meter.CreateCounter<long>("floxide.readings.dropped", "{reading}");
        var other = meter.CreateCounter<long>("floxide.other", "{event}");

        for (var sensor = 0; sensor < 10; sensor++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("sensor.id", $"s{sensor}"));
        }

        counter.Add(5, new KeyValuePair<string, object?>("sensor.id", "s0"));
        other.Add(1);
        var text = exporter.Scrape();

        Assert.Contains("floxide_readings_dropped_total{sensor_id=\"s0\"} 6\n", text, StringComparison.Ordinal);
        Assert.Contains("floxide_readings_dropped_total{sensor_id=\"s2\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sensor_id=\"s3\"", text, StringComparison.Ordinal);
        Assert.Contains("floxide_metrics_series_dropped_total{metric=\"floxide_readings_dropped_total\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("floxide_other_total 1\n", text, StringComparison.Ordinal);
    }
}
