using Floxide.Edge.Readings;
using Floxide.Events;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Workflow.Nodes;

/// <summary>
/// Logs the first fault of each streak; the sensor source decides when a streak makes the sensor offline and says so
/// with a <see cref="SensorStatusChanged"/>, which raises the offline alert.
/// </summary>
internal sealed partial class FaultNode(ILogger<FaultNode> logger) : IEventProcessor<GatewayEvent, GatewayContext, GatewayAction>
{
    public const string NodeId = "faults";

    public string Id => NodeId;

    public long Faults { get; private set; }

    public ValueTask<GatewayAction> ProcessEventAsync(GatewayEvent @event, GatewayContext context, CancellationToken cancellationToken = default)
    {
        var fault = (SensorFault)@event;
        Faults++;
        if (fault.ConsecutiveFaults <= 1)
        {
            LogFault(fault.SensorId, fault.Kind, fault.Detail);
        }

        return new(GatewayAction.Done);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sensor {SensorId} read failed ({Kind}): {Detail}. Further faults in a row are not logged.")]
    private partial void LogFault(string sensorId, SensorFaultKind kind, string detail);
}
