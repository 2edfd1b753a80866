using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Floxide.Events.Tests.Workflows;

public sealed class EventWorkflowMetricsTests : IDisposable
{
    private readonly Meter meter = new("test.workflow." + Guid.NewGuid());
    private readonly ChannelEventSource<int> numbers = new("numbers", capacity: 8, ChannelFullMode.Wait);

    public void Dispose() => meter.Dispose();

    private EventDrivenWorkflow<int, Journal, string> Workflow() =>
        new EventDrivenWorkflowBuilder<int, Journal, string>("metered")
            .AddSource(numbers, "next")
            .AddProcessor(DelegateProcessor<int, Journal>.Returning("check", n => n == 2 ? "unknown" : n == 3 ? throw new FormatException() : "ok"))
            .Route("numbers", "next", "check")
            .Route("check", "ok", "numbers")
            .DeadLetterOnError((_, _) => ValueTask.CompletedTask)
            .WithMeter(meter)
            .Build();

    [Fact]
    public async Task ExecuteAsync_RecordsProcessedEventsNodeDurationsRoutingMissesAndDeadLetters()
    {
        using var processed = new MetricCollector<long>(meter, EventTelemetry.EventsProcessed);
        using var durations = new MetricCollector<double>(meter, EventTelemetry.NodeDuration);
        using var misses = new MetricCollector<long>(meter, EventTelemetry.RoutingMisses);
        using var deadLettered = new MetricCollector<long>(meter, EventTelemetry.EventsDeadLettered);
        var workflow = Workflow();
        foreach (var n in new[] { 1, 2, 3, 4 })
        {
            numbers.TryWrite(n);
        }

        numbers.Complete();

        await workflow.ExecuteAsync(new Journal());

        Assert.Equal(4, processed.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(4, durations.GetMeasurementSnapshot().Count);
        Assert.All(durations.GetMeasurementSnapshot(), m =>
        {
            Assert.Equal("check", m.Tags[EventTelemetry.Tags.NodeId]);
            Assert.Equal("metered", m.Tags[EventTelemetry.Tags.WorkflowName]);
        });
        var miss = Assert.Single(misses.GetMeasurementSnapshot());
        Assert.Equal("unknown", miss.Tags[EventTelemetry.Tags.Action]);
        Assert.Equal(2, deadLettered.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task ExecuteAsync_NoListener_StillRuns()
    {
        numbers.TryWrite(1);
        numbers.Complete();

        var result = await Workflow().ExecuteAsync(new Journal());

        Assert.Equal(1, result.EventsProcessed);
    }
}
