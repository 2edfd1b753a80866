using Floxide.Edge.Sensors;

namespace Floxide.Edge.Telemetry;

/// <summary>
/// The <c>sensor.id</c> tag value of a sensor: its id when the gateway knows it, <see cref="Unknown"/> otherwise, so
/// readings under made-up or misspelt ids cannot grow a metric's series without bound.
/// </summary>
internal static class SensorTags
{
    public const string Unknown = "unknown";

    public static string Of(SensorDirectory? directory, string sensorId) =>
        directory is null || directory.TryGet(sensorId, out _) ? sensorId : Unknown;
}
