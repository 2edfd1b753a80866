using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Gateway.Systemd;
using Floxide.Edge.Gateway.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>The host's own parts: configuration reload, status, health, and the systemd notifier and watchdog.</summary>
public static class GatewayHostServiceCollectionExtensions
{
    /// <summary>Adds the host's own parts. Call first, so that they start first and stop last.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddGatewayHostCore(this IServiceCollection services)
    {
        services.AddGatewayOptions<GatewayHostOptions>(GatewayHostOptions.Section, static (section, options) => section.Bind(options));
        services.AddSingleton<IValidateOptions<GatewayHostOptions>, GatewayHostOptionsValidator>();
        services.AddGatewayOptions<DebugOptions>(DebugOptions.Section, static (section, options) => section.Bind(options));
        services.AddSingleton<IValidateOptions<DebugOptions>, DebugOptionsValidator>();
        services.AddOptions<HostOptions>().Configure<IOptions<GatewayHostOptions>>(
            static (host, gateway) => host.ShutdownTimeout = gateway.Value.ShutdownTimeout);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayStatus>();
        services.AddSingleton<GatewayHealth>();
        services.AddSingleton<ConfigurationValidator>();
        services.AddSingleton(provider => new SystemdNotifySocket(
            Environment.GetEnvironmentVariable(SystemdNotifySocket.EnvironmentVariable),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SystemdNotifySocket>>()));
        services.AddSingleton(_ => SystemdWatchdogSettings.FromEnvironment());

        services.AddSingleton(provider => new ConfigurationReloadService(
            provider.GetRequiredService<GatewayConfigurationSources>(),
            provider.GetRequiredService<ConfigurationValidator>(),
            provider.GetRequiredService<AppliedConfigurationProvider>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ConfigurationReloadService>>(),
            provider.GetServices<RestartOnlySection>()));
        services.AddHostedService(provider => provider.GetRequiredService<ConfigurationReloadService>());
        services.AddHostedService<SystemdStatusService>();
        services.AddHostedService<SystemdWatchdogService>();
        return services;
    }
}

/// <summary>Checks <see cref="GatewayHostOptions"/>' durations, which data annotations cannot express without reflection.</summary>
internal sealed class GatewayHostOptionsValidator : IValidateOptions<GatewayHostOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayHostOptions options)
    {
        var failures = new List<string>();
        DurationRule.Check(failures, $"{GatewayHostOptions.Section}:ShutdownTimeout", options.ShutdownTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5),
            "keep it below the unit's TimeoutStopSec (30 s), e.g. 00:00:20");
        DurationRule.Check(failures, $"{GatewayHostOptions.Section}:ProcessingBudget", options.ProcessingBudget, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1),
            "allow the slowest node's worst case, e.g. 00:00:10");
        DurationRule.Check(failures, $"{GatewayHostOptions.Section}:HealthCheckInterval", options.HealthCheckInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1),
            "e.g. 00:00:01");
        if (options.StateDirectory is { } directory && (directory.Trim().Length == 0 || directory.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            failures.Add($"{GatewayHostOptions.Section}:StateDirectory = '{directory}': is not a directory path. Fix: give a folder the gateway may write to, e.g. /var/lib/floxide-edge, or remove the setting.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
