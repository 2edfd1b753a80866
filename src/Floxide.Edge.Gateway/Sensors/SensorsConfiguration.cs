using System.Globalization;
using Floxide.Edge.Devices;
using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Sensors;
using Floxide.Edge.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Sensors;

/// <summary>
/// Configuration helpers for <c>Floxide:Sensors</c>: I²C addresses are written in hex (<c>"Address": "0x76"</c>), which
/// the generated configuration binder (used for NativeAOT) does not parse, so they are turned into decimal before binding.
/// </summary>
internal static class SensorsConfiguration
{
    /// <summary>The built-in device profiles, loaded once.</summary>
    public static readonly Lazy<DeviceCatalog> EmbeddedCatalog = new(DeviceCatalog.LoadEmbedded);

    /// <summary>Returns <paramref name="section"/>, or a copy of it with hex values written as decimal numbers.</summary>
    /// <param name="section">The <c>Floxide:Sensors</c> section (or a copy with relative keys).</param>
    /// <returns>A configuration to bind <see cref="SensorsOptions"/> from.</returns>
    public static IConfiguration WithDecimalAddresses(IConfiguration section)
    {
        var pairs = section.AsEnumerable(makePathsRelative: true).Where(pair => pair.Key.Length > 0).ToList();
        if (!pairs.Any(pair => pair.Value is { } value && OptionsShape.IsHex(value)))
        {
            return section;
        }

        return new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(pair => pair.Value is { } value && OptionsShape.IsHex(value)
                && ulong.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
                    ? KeyValuePair.Create(pair.Key, (string?)number.ToString(CultureInfo.InvariantCulture))
                    : pair))
            .Build();
    }
}

/// <summary>
/// Checks <see cref="SensorsOptions"/> against the device profiles it may name: the built-in ones plus those of
/// <see cref="SensorsOptions.ProfilesDirectory"/>, whose own problems are reported too.
/// </summary>
internal sealed class GatewaySensorsOptionsValidator : IValidateOptions<SensorsOptions>
{
    public ValidateOptionsResult Validate(string? name, SensorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var catalog = SensorsConfiguration.EmbeddedCatalog.Value;
        if (options.ProfilesDirectory is { } directory && Directory.Exists(directory))
        {
            try
            {
                catalog = DeviceCatalog.Load(directory);
            }
            catch (DeviceProfileException exception)
            {
                return ValidateOptionsResult.Fail(
                    $"{SensorsOptions.SectionName}:ProfilesDirectory = '{directory}': holds invalid profiles: {exception.Message}. Fix: correct them as named, or remove the setting.");
            }
        }

        return new SensorsOptionsValidator(catalog).Validate(name, options);
    }
}

/// <summary>Checks <see cref="SimulationOptions"/>; on-board simulated models must be built-in profiles, which have emulators.</summary>
internal sealed class GatewaySimulationOptionsValidator : IValidateOptions<SimulationOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulationOptions options) =>
        new SimulationOptionsValidator(SensorsConfiguration.EmbeddedCatalog.Value).Validate(name, options);
}
