using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Events;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>
/// Applies the sensor's calibration in place, then judges the calibrated values against the chip's physical ranges
/// again: <see cref="GatewayAction.Calibrated"/>, or <see cref="GatewayAction.Invalid"/> when calibration pushed a value
/// out of them.
/// </summary>
internal sealed class CalibrateNode(ReadingCalibrator calibrator, ReadingValidator validator) : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "calibrate";

    public string Id => NodeId;

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        var reading = (SensorReading)@event;
        return new(!calibrator.Calibrate(reading) || validator.ValidateCalibrated(reading) ? GatewayAction.Calibrated : GatewayAction.Invalid);
    }
}
