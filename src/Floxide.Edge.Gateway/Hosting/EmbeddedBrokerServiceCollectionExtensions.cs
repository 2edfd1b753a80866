using Floxide.Edge.Gateway.Broker;
using Floxide.Edge.Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>The embedded broker's composition point.</summary>
public static class EmbeddedBrokerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded broker's options and, when it is to run, the broker itself: when
    /// <c>Floxide:EmbeddedBroker:Enabled</c> says so, or, unset, when no external broker (<c>Floxide:Mqtt:Host</c>) is configured.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration as written; read once, since the broker cannot come or go while running.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddEmbeddedBroker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddGatewayOptions<EmbeddedBrokerOptions>(EmbeddedBrokerOptions.Section, static (section, options) => section.Bind(options));
        services.AddSingleton(new RestartOnlySection(EmbeddedBrokerOptions.Section));
        if (IsEnabled(configuration))
        {
            services.AddSingleton<EmbeddedBroker>();
            services.AddHostedService(provider => provider.GetRequiredService<EmbeddedBroker>());
        }

        return services;
    }

    /// <summary>Whether the embedded broker runs under <paramref name="configuration"/>.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns><see langword="true"/> when it runs.</returns>
    public static bool IsEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return bool.TryParse(configuration[$"{EmbeddedBrokerOptions.Section}:Enabled"], out var enabled)
            ? enabled
            : string.IsNullOrEmpty(configuration[MqttServiceCollectionExtensions.HostKey]);
    }
}
