using Floxide.Edge.Devices;
using Floxide.Edge.Gateway.Cli;
using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Sensors;
using Floxide.Edge.Sensors;
using Floxide.Edge.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>
/// The sensors' composition point: the <c>Floxide:Sensors</c> and <c>Floxide:Simulation</c> options, the device
/// profiles (for <c>floxide-edge devices</c> too), the <see cref="SensorInputService"/> running the pollers or the
/// simulation, and the fleet simulator behind <c>floxide-edge simulate</c>.
/// </summary>
public static class SensorsServiceCollectionExtensions
{
    /// <summary>Adds the sensors. Call after the workflow's composition point, so that the inputs stop first.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddGatewaySensors(this IServiceCollection services)
    {
        services.AddGatewayOptions<SensorsOptions>(SensorsOptions.SectionName,
            static (section, options) => SensorsConfiguration.WithDecimalAddresses(section).Bind(options),
            validateDataAnnotations: false);
        services.AddSingleton<IValidateOptions<SensorsOptions>, GatewaySensorsOptionsValidator>();
        services.AddGatewayOptions<SimulationOptions>(SimulationOptions.SectionName, static (section, options) => section.Bind(options),
            validateDataAnnotations: false);
        services.AddSingleton<IValidateOptions<SimulationOptions>, GatewaySimulationOptionsValidator>();

        services.AddSingleton(new RestartOnlySection(SensorsOptions.SectionName));
        services.AddSingleton(new RestartOnlySection(SimulationOptions.SectionName));
        services.TryAddSingleton<SensorDirectory>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<SensorsOptions>>().Value.ProfilesDirectory is { } directory
            ? DeviceCatalog.Load(directory)
            : SensorsConfiguration.EmbeddedCatalog.Value);
        services.AddSingleton<IDeviceProfileListing, DeviceCatalogListing>();
        services.AddSingleton<IFleetSimulator, SyntheticFleetSimulator>();
        services.AddSingleton<SensorInputService>();
        services.AddDeferredHostedService<SensorInputService>();
        return services;
    }
}
