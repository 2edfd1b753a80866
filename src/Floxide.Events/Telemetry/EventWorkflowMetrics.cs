using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Floxide.Events;

/// <summary>
/// The instruments one workflow records to. Every record is guarded by <see cref="Instrument.Enabled"/>, so with no
/// listener attached the hot path neither reads the clock nor builds tags.
/// </summary>
internal sealed class EventWorkflowMetrics(Meter meter, string workflowName)
{
    private readonly KeyValuePair<string, object?> workflowTag = new(EventTelemetry.Tags.WorkflowName, workflowName);

    private readonly Counter<long> processed = meter.CreateCounter<long>(
        EventTelemetry.EventsProcessed, "{event}", "Events taken from a source and routed to their end.");

    private readonly Histogram<double> nodeDuration = meter.CreateHistogram<double>(
        EventTelemetry.NodeDuration, "s", "Time a node spends processing one event.");

    private readonly Counter<long> routingMisses = meter.CreateCounter<long>(
        EventTelemetry.RoutingMisses, "{event}", "Actions returned by a node that had no route.");

    private readonly Counter<long> deadLettered = meter.CreateCounter<long>(
        EventTelemetry.EventsDeadLettered, "{event}", "Events handed to the dead-letter handler after a failure.");

    public bool NodeDurationEnabled => nodeDuration.Enabled;

    public void EventProcessed()
    {
        if (processed.Enabled)
        {
            processed.Add(1, workflowTag);
        }
    }

    public void NodeProcessed(string nodeId, TimeSpan elapsed) =>
        nodeDuration.Record(elapsed.TotalSeconds, workflowTag, new(EventTelemetry.Tags.NodeId, nodeId));

    public void RoutingMiss(string nodeId, string action)
    {
        if (routingMisses.Enabled)
        {
            routingMisses.Add(1, workflowTag, new(EventTelemetry.Tags.NodeId, nodeId), new(EventTelemetry.Tags.Action, action));
        }
    }

    public void DeadLettered(string nodeId)
    {
        if (deadLettered.Enabled)
        {
            deadLettered.Add(1, workflowTag, new(EventTelemetry.Tags.NodeId, nodeId));
        }
    }
}
