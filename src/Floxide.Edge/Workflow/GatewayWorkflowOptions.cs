using System.ComponentModel.DataAnnotations;

namespace Floxide.Edge.Workflow;

/// <summary>
/// The gateway's event queue: configuration section <c>Floxide:Workflow</c>. Readings may fill at most
/// <see cref="ReadingCapacity"/> slots; <see cref="ControlCapacity"/> more are kept for faults, status changes and
/// timer ticks, so when something must give, readings give first and the events that raise alerts still get in.
/// </summary>
public sealed class GatewayWorkflowOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Floxide:Workflow";

    /// <summary>Readings queued at most; a reading offered to a full queue is refused (and counted) or waits, as its producer chooses.</summary>
    /// <value>1 to 100 000. The default is 1024.</value>
    [Range(1, 100_000)]
    public int ReadingCapacity { get; set; } = 1024;

    /// <summary>Queue slots only faults, status changes and ticks may use.</summary>
    /// <value>1 to 10 000. The default is 256.</value>
    [Range(1, 10_000)]
    public int ControlCapacity { get; set; } = 256;
}
