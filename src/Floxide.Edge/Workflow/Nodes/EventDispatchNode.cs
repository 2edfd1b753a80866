using Floxide.Edge.Readings;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>Routes each event by its type.</summary>
internal sealed class EventDispatchNode : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "dispatch";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        switch (@event)
        {
            case SensorReading:
                return new(GatewayAction.Reading);
            case SensorFault:
                return new(GatewayAction.Fault);
            case SensorStatusChanged:
                return new(GatewayAction.Status);
            case GatewayTick:
                return new(GatewayAction.Tick);
            case SensorRemoved:
                return new(GatewayAction.Removed);
            default:
                return new(GatewayAction.Unknown);
        }
    }
}
