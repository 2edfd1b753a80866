using Floxide.Edge.Readings;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>Ends an invalid reading: already counted with its reason, it is acknowledged to its producer and dropped.</summary>
internal sealed class DiscardNode : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "discard";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        ((SensorReading)@event).Receipt?.Complete();
        return new(GatewayAction.Done);
    }
}
