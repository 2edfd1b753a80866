using Floxide.Edge.Alerts;
using Floxide.Edge.Gateway.Broker;
using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Mqtt;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Outbox;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>
/// The MQTT composition point: the <c>Floxide:Mqtt</c> and <c>Floxide:Outbox</c> options, and the
/// <see cref="MqttGatewayService"/> (connection, outbox, publisher, Home Assistant discovery, fleet ingest), whose
/// publisher is the workflow's <see cref="IReadingSink"/> and, through <see cref="MqttAlertSink"/>, an alert sink.
/// Without <c>Floxide:Mqtt:Host</c> the client connects to the embedded broker on 127.0.0.1, at the port it got.
/// </summary>
public static class MqttServiceCollectionExtensions
{
    /// <summary>The key whose absence makes the gateway use its embedded broker.</summary>
    public const string HostKey = MqttOptions.SectionName + ":" + nameof(MqttOptions.Host);

    /// <summary>Adds the MQTT side. Call after the embedded broker's composition point and before the workflow's.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddGatewayMqtt(this IServiceCollection services)
    {
        services.AddGatewayOptions<MqttOptions>(MqttOptions.SectionName, static (section, options) => section.Bind(options))
            .PostConfigure<IServiceProvider>(static (options, provider) =>
            {
                // Options are created at the MQTT service's start, after the embedded broker has its port.
                if (provider.GetService<EmbeddedBroker>() is { Port: > 0 } broker
                    && string.IsNullOrEmpty(provider.GetRequiredService<IConfiguration>()[HostKey]))
                {
                    options.Host = "127.0.0.1";
                    options.Port = broker.Port;
                }
            });
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();
        services.AddGatewayOptions<OutboxOptions>(OutboxOptions.SectionName, static (section, options) => section.Bind(options))
            .PostConfigure<IOptionsMonitor<GatewayHostOptions>>(static (options, host) =>
            {
                if (!string.IsNullOrWhiteSpace(options.Path))
                {
                    options.Path = GatewayStateDirectory.File(GatewayStateDirectory.Resolve(host.CurrentValue.StateDirectory), options.Path);
                }
            });
        services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();

        services.AddSingleton(new RestartOnlySection(MqttOptions.SectionName));
        services.AddSingleton(new RestartOnlySection(OutboxOptions.SectionName));
        services.TryAddSingleton<SensorDirectory>();
        services.AddSingleton<MqttGatewayService>();
        services.AddSingleton<IReadingSink>(provider => new MqttReadingSink(provider.GetRequiredService<MqttGatewayService>()));
        services.AddSingleton<IAlertSink>(provider => new MqttAlertSink(provider.GetRequiredService<MqttGatewayService>().Publisher));
        services.AddDeferredHostedService<MqttGatewayService>();
        return services;
    }
}
