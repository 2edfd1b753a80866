using System.Diagnostics.Metrics;

namespace Floxide.Edge.Telemetry;

/// <summary>The meter used when a component is given none: the host passes one from its IMeterFactory instead.</summary>
internal static class EdgeMeter
{
    public static Meter Default { get; } = new(FloxideTelemetry.Name);
}
