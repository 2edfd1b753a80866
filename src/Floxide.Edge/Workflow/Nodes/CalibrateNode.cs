using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>Applies the sensor's calibration in place.</summary>
internal sealed class CalibrateNode(ReadingCalibrator calibrator) : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "calibrate";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        calibrator.Calibrate((SensorReading)@event);
        return new(GatewayAction.Calibrated);
    }
}
