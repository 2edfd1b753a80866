namespace Floxide.Edge.Gateway.Cli;

/// <summary>
/// The device profiles <c>floxide-edge devices</c> lists and <c>devices scan</c> matches addresses against. The
/// sensors' composition point registers one, adapting the profile catalog of <c>devices/&lt;model&gt;/profile.json</c>.
/// </summary>
public interface IDeviceProfileListing
{
    /// <summary>The profiles, ordered by model.</summary>
    IReadOnlyList<DeviceProfileSummary> Profiles { get; }
}

/// <summary>A device profile as the CLI shows it.</summary>
/// <param name="Model">The chip model, e.g. <c>bme280</c>.</param>
/// <param name="Bus">How it is connected: <c>i2c</c>, <c>gpio</c>, <c>1-wire</c> or <c>mqtt</c>.</param>
/// <param name="I2cAddresses">Its default I²C addresses; empty for other buses.</param>
/// <param name="Quantities">What it measures, e.g. <c>temperature</c>, <c>humidity</c>, <c>pressure</c>.</param>
/// <param name="DefaultPollInterval">How often it is read unless configured otherwise.</param>
/// <param name="Description">One line about the chip.</param>
public sealed record DeviceProfileSummary(
    string Model, string Bus, IReadOnlyList<int> I2cAddresses, IReadOnlyList<string> Quantities, TimeSpan? DefaultPollInterval, string? Description);
