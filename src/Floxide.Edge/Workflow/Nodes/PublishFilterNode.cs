using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>
/// Feeds the windowed aggregates, smooths the published values and applies report-by-exception; a reading that is
/// not published has its receipt completed here, since the gateway is done with it.
/// </summary>
internal sealed class PublishFilterNode(WindowedAggregator aggregator, ReadingSmoother smoother, ReportByExceptionFilter filter, IAggregateSink? aggregateSink)
    : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "publish-filter";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        var reading = (SensorReading)@event;
        if (aggregator.Enabled)
        {
            var closed = aggregator.Add(reading);
            if (closed.Count > 0 && aggregateSink is not null)
            {
                return WriteAggregatesThenFilterAsync(reading, context, closed, cancellationToken);
            }
        }

        return new(Filter(reading, context));
    }

    private GatewayAction Filter(SensorReading reading, GatewayContext context)
    {
        smoother.Smooth(reading);
        if (filter.ShouldPublish(reading, context.Classification.AnyChanged))
        {
            return GatewayAction.Publish;
        }

        reading.Receipt?.Complete();
        return GatewayAction.Skip;
    }

    private async ValueTask<GatewayAction> WriteAggregatesThenFilterAsync(
        SensorReading reading, GatewayContext context, IReadOnlyList<SensorAggregate> closed, CancellationToken cancellationToken)
    {
        foreach (var aggregate in closed.ToArray())
        {
            await aggregateSink!.WriteAsync(aggregate, cancellationToken).ConfigureAwait(false);
        }

        return Filter(reading, context);
    }
}
