using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>Validates a reading: <see cref="GatewayAction.Valid"/> or <see cref="GatewayAction.Invalid"/>.</summary>
internal sealed class ValidateNode(ReadingValidator validator) : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "validate";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default) =>
        new(validator.Validate((SensorReading)@event) ? GatewayAction.Valid : GatewayAction.Invalid);
}
