using Floxide.Edge.Readings;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>Routes each event by its type, and frees a reading's queue slot as the workflow takes it.</summary>
/// <param name="queue">The queue the events come from.</param>
internal sealed class EventDispatchNode(GatewayEventChannel queue) : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "dispatch";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        switch (@event)
        {
            case SensorReading:
                queue.ReadingTaken();
                return new(GatewayAction.Reading);
            case SensorFault:
                return new(GatewayAction.Fault);
            case SensorStatusChanged:
                return new(GatewayAction.Status);
            case GatewayTick:
                return new(GatewayAction.Tick);
            default:
                return new(GatewayAction.Unknown);
        }
    }
}
