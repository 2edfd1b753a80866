using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>
/// Starts a singleton hosted service that is resolved only when its turn to start comes. The Generic Host resolves
/// every hosted service before it starts the first, but the gateway's parts depend on what started before them (the
/// MQTT client on the port the embedded broker got, the workflow on the MQTT publisher, the sensors on the workflow's
/// queue), so each is built at its own start, in registration order.
/// </summary>
/// <typeparam name="TService">The hosted service, registered as a singleton.</typeparam>
/// <param name="services">Resolves the service at start.</param>
internal sealed class DeferredHostedService<TService>(IServiceProvider services) : IHostedService
    where TService : class, IHostedService
{
    private TService? service;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        service = services.GetRequiredService<TService>();
        return service.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => service?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}

/// <summary>Registers <see cref="DeferredHostedService{TService}"/>s.</summary>
internal static class DeferredHostedServiceCollectionExtensions
{
    /// <summary>Adds <typeparamref name="TService"/> (already registered as a singleton) as a hosted service built at its start.</summary>
    public static IServiceCollection AddDeferredHostedService<TService>(this IServiceCollection services)
        where TService : class, IHostedService
    {
        services.AddHostedService<DeferredHostedService<TService>>();
        return services;
    }
}
