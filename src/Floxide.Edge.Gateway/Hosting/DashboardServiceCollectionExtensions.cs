using Floxide.Edge.Gateway.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>The live console table's composition point.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Adds the live table and sends log entries to it instead of the console.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLiveDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardLogSink>();
        services.AddSingleton<ILoggerProvider, DashboardLoggerProvider>();
        services.AddHostedService<LiveDashboard>();
        return services;
    }
}
