using Floxide.Edge.Alerts;
using Floxide.Edge.Readings;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>Brings the alerts up to date with the classified reading.</summary>
internal sealed class AlertNode(AlertBook alerts) : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "alert";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        alerts.OnClassified(context.Classification);
        return new(GatewayAction.Checked);
    }
}
