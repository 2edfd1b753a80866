using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>Classifies a reading into the context: normal, warning, critical, or invalid (a spike).</summary>
internal sealed class ClassifyNode(ThresholdClassifier classifier) : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "classify";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default) =>
        new(classifier.Classify((SensorReading)@event, context.Classification) switch
        {
            ClassificationVerdict.Critical => GatewayAction.Critical,
            ClassificationVerdict.Warning => GatewayAction.Warning,
            ClassificationVerdict.Invalid => GatewayAction.Invalid,
            _ => GatewayAction.Normal,
        });
}
