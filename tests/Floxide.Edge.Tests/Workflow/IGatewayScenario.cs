using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Tests.Workflow;

/// <summary>
/// The input of an end-to-end run: the sensors, and their events in time order. The seam where the scripted day can
/// be swapped for the simulated fleet (seeded) without touching the driver or the assertions' shape.
/// </summary>
internal interface IGatewayScenario
{
    IReadOnlyList<SensorDescriptor> Sensors { get; }

    /// <summary>The events from <paramref name="start"/> on, ordered by timestamp.</summary>
    IEnumerable<GatewayEvent> Events(DateTimeOffset start);
}
