using System.Net;
using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>The metrics endpoint's composition point.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>Adds the host's instruments and the <c>/metrics</c> and <c>/healthz</c> endpoint.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddMetricsEndpoint(this IServiceCollection services)
    {
        services.AddGatewayOptions<MetricsOptions>(MetricsOptions.Section, static (section, options) => section.Bind(options));
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddSingleton<GatewayInstruments>();
        services.AddSingleton<MetricsEndpoint>();
        services.AddHostedService(provider => provider.GetRequiredService<MetricsEndpoint>());
        return services;
    }
}

/// <summary>Checks that the bind address is an IP address.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options) =>
        string.IsNullOrEmpty(options.BindAddress) || IPAddress.TryParse(options.BindAddress, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{MetricsOptions.Section}:BindAddress = '{options.BindAddress}': is not an IP address. Fix: use 127.0.0.1 (this machine only, the default) or the address of one of its interfaces.");
}
