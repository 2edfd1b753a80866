using Floxide.Edge.Alerts;
using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>On each timer tick: stale-sensor checks and due reminders, and aggregate windows that have ended (all open ones once aggregates are turned off).</summary>
internal sealed class WatchdogNode(AlertBook alerts, WindowedAggregator aggregator, IAggregateSink? aggregateSink, Action<DateTimeOffset> processed)
    : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "watchdog";

    public string Id => NodeId;

    public async ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        var now = @event.Timestamp;
        alerts.OnTick(now);

        // Even with aggregates off: a reload that turned them off leaves open windows for this tick to send.
        foreach (var aggregate in aggregator.Tick(now).ToArray())
        {
            if (aggregateSink is not null)
            {
                await aggregateSink.WriteAsync(aggregate, cancellationToken).ConfigureAwait(false);
            }
        }

        processed(now);
        return GatewayAction.Done;
    }
}
