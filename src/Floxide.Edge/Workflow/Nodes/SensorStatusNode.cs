using Floxide.Edge.Alerts;
using Floxide.Edge.Readings;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>Raises or clears offline alerts as sensors go offline and come back.</summary>
internal sealed class SensorStatusNode(AlertBook alerts) : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "sensor-status";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        alerts.OnStatusChanged((SensorStatusChanged)@event);
        return new(GatewayAction.Done);
    }
}
