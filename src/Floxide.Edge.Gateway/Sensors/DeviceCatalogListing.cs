using Floxide.Edge.Devices;
using Floxide.Edge.Gateway.Cli;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Gateway.Sensors;

/// <summary>The device profiles as <c>floxide-edge devices</c> and <c>devices scan</c> show them.</summary>
/// <param name="catalog">The profiles: built-in, plus <c>Floxide:Sensors:ProfilesDirectory</c>.</param>
internal sealed class DeviceCatalogListing(DeviceCatalog catalog) : IDeviceProfileListing
{
    public IReadOnlyList<DeviceProfileSummary> Profiles { get; } = [.. catalog.All.Select(Summarize)];

    private static DeviceProfileSummary Summarize(DeviceProfile profile) => new(
        profile.Model,
        profile.Bus switch
        {
            DeviceBus.I2c => "i2c",
            DeviceBus.Gpio => "gpio",
            _ => "1-wire",
        },
        profile.I2c is { } i2c ? [.. i2c.Addresses] : [],
        [.. profile.Quantities.Keys.Order().Select(quantity => quantity.Name())],
        profile.DefaultInterval,
        profile.DisplayName);
}
