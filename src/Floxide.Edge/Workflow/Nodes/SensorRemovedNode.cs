using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;
using Floxide.Edge.Sensors;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>
/// Forgets a sensor taken out of the configuration: clears its alerts (each with a notification that says why), sends
/// its open aggregate windows early, and drops its state in every component, so neither alerts nor memory outlive it.
/// A sensor registered again before its removal is processed keeps its state, as across a reload.
/// </summary>
internal sealed class SensorRemovedNode(
    SensorDirectory directory,
    ReadingValidator validator,
    ThresholdClassifier classifier,
    AlertBook alerts,
    WindowedAggregator aggregator,
    ReadingSmoother smoother,
    ReportByExceptionFilter filter,
    IAggregateSink? aggregateSink) : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "sensor-removed";

    public string Id => NodeId;

    public async ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        var removed = (SensorRemoved)@event;
        var sensorId = removed.SensorId;
        if (directory.TryGet(sensorId, out _))
        {
            return GatewayAction.Done;
        }

        alerts.OnSensorRemoved(sensorId, removed.Timestamp);
        validator.Forget(sensorId);
        classifier.Forget(sensorId);
        smoother.Forget(sensorId);
        filter.Forget(sensorId);
        foreach (var aggregate in aggregator.Close(sensorId).ToArray())
        {
            if (aggregateSink is not null)
            {
                await aggregateSink.WriteAsync(aggregate, cancellationToken).ConfigureAwait(false);
            }
        }

        return GatewayAction.Done;
    }
}
