using Floxide.Edge.Readings;

namespace Floxide.Edge.Sensors;

/// <summary>Where a sensor's readings come from.</summary>
public enum SensorOrigin
{
    /// <summary>A chip on the gateway's own I²C, GPIO or 1-Wire bus.</summary>
    Hardware,

    /// <summary>The simulated fleet (emulated chips, or a synthetic waveform).</summary>
    Simulated,

    /// <summary>A fleet sensor publishing to an MQTT topic.</summary>
    Mqtt,
}

/// <summary>
/// What the rest of the gateway needs to know about a sensor: its id, its device profile, the quantities it
/// measures with their physical ranges, and how often it reports.
/// </summary>
/// <param name="Id">The sensor's configured id, unique within the gateway.</param>
/// <param name="Model">The device profile's name, e.g. <c>bme280</c>, or <c>generic</c> for a fleet sensor without one.</param>
/// <param name="Origin">Where its readings come from.</param>
/// <param name="Interval">How often it is expected to report; stale checks and Home Assistant's <c>expire_after</c> derive from it.</param>
/// <param name="Ranges">The physical range of each quantity it measures; the keys are the quantities it measures.</param>
/// <param name="Name">A display name, or <see langword="null"/> to use <paramref name="Id"/>.</param>
public sealed record SensorDescriptor(
    string Id,
    string Model,
    SensorOrigin Origin,
    TimeSpan Interval,
    IReadOnlyDictionary<Quantity, ValueRange> Ranges,
    string? Name = null)
{
    /// <summary>The quantities the sensor measures.</summary>
    public IEnumerable<Quantity> Quantities => Ranges.Keys;

    /// <summary>The name to show a person.</summary>
    public string DisplayName => Name ?? Id;
}
