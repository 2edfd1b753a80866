namespace Floxide.Edge.Telemetry;

/// <summary>The gateway's telemetry names: one meter and activity source name, and the tag names shared by instruments.</summary>
public static class FloxideTelemetry
{
    /// <summary>The name shared by the gateway's <see cref="System.Diagnostics.Metrics.Meter"/> and activity source.</summary>
    public const string Name = "Floxide.Edge";

    /// <summary>Tag names. Never tag with a reading's value.</summary>
    public static class Tags
    {
        /// <summary>A sensor's configured id.</summary>
        public const string SensorId = "sensor.id";

        /// <summary>A quantity's name (<c>temperature</c>, <c>humidity</c>, <c>pressure</c>).</summary>
        public const string Quantity = "quantity";

        /// <summary>Why something was rejected or failed.</summary>
        public const string Cause = "cause";

        /// <summary>An alert's severity.</summary>
        public const string Severity = "severity";
    }
}
