using System.Runtime.CompilerServices;
using Floxide.Edge.Readings;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>Hands a reading to the <see cref="IReadingSink"/>, which completes its receipt once it is published or stored.</summary>
internal sealed class PublishNode(IReadingSink sink) : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "publish";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        var writing = sink.WriteAsync((SensorReading)@event, cancellationToken);
        return writing.IsCompletedSuccessfully ? new(GatewayAction.Done) : AwaitAsync(writing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<GatewayAction> AwaitAsync(ValueTask writing)
    {
        await writing.ConfigureAwait(false);
        return GatewayAction.Done;
    }
}
