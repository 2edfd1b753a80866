using System.Diagnostics.Metrics;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Gateway.Workflow;
using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;
using Floxide.Edge.Sensors;
using Floxide.Edge.Telemetry;
using Floxide.Edge.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>
/// The workflow's composition point: the classification, alert, reporting and queue options; the alert sinks (log,
/// GPIO outputs, the status shown by systemd and the live table; MQTT adds its own); and the
/// <see cref="WorkflowHostedService"/> running the <see cref="GatewayWorkflow"/>, whose reading sink is the
/// <see cref="IReadingSink"/> registered by the MQTT composition point.
/// </summary>
public static class WorkflowServiceCollectionExtensions
{
    /// <summary>Adds the gateway workflow. Call after the MQTT composition point and before the sensors'.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddGatewayWorkflow(this IServiceCollection services)
    {
        services.AddGatewayOptions<ClassificationOptions>(ClassificationOptions.SectionName, static (section, options) => section.Bind(options));
        services.AddSingleton<IValidateOptions<ClassificationOptions>, ClassificationOptionsValidator>();
        services.AddGatewayOptions<AlertOptions>(AlertOptions.SectionName, static (section, options) => section.Bind(options))
            .PostConfigure<IOptionsMonitor<GatewayHostOptions>>(static (options, host) =>
            {
                if (!string.IsNullOrWhiteSpace(options.StateFile))
                {
                    options.StateFile = GatewayStateDirectory.File(GatewayStateDirectory.Resolve(host.CurrentValue.StateDirectory), options.StateFile);
                }
            });
        services.AddSingleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>();
        services.AddGatewayOptions<ReportingOptions>(ReportingOptions.SectionName, static (section, options) => section.Bind(options));
        services.AddSingleton<IValidateOptions<ReportingOptions>, ReportingOptionsValidator>();
        services.AddGatewayOptions<GatewayWorkflowOptions>(GatewayWorkflowOptions.SectionName, static (section, options) => section.Bind(options));

        services.AddSingleton(new RestartOnlySection(GatewayWorkflowOptions.SectionName));
        services.TryAddSingleton<SensorDirectory>();
        services.AddSingleton<GatewayStatusReporter>();
        services.AddSingleton<IAlertSink>(provider => provider.GetRequiredService<GatewayStatusReporter>());
        services.AddSingleton<IAlertSink, LogAlertSink>();
        services.AddSingleton<GpioAlertOutputs>();
        services.AddSingleton(CreateWorkflowService);
        services.AddSingleton<IGatewayWorkflow>(provider => provider.GetRequiredService<WorkflowHostedService>());
        services.AddDeferredHostedService<WorkflowHostedService>();
        return services;
    }

    /// <summary>
    /// Assembles the gateway workflow from validated options: what <c>run</c> starts and what <c>graph</c> draws. The
    /// alert state file is resolved against the state directory, but nothing is read or written until it runs.
    /// </summary>
    /// <param name="services">The built host's services.</param>
    /// <param name="readingSink">Where published readings go.</param>
    /// <param name="alertSinks">Where alert notifications go.</param>
    /// <returns>The workflow.</returns>
    public static GatewayWorkflow CreateGatewayWorkflow(IServiceProvider services, IReadingSink readingSink, IEnumerable<IAlertSink> alertSinks)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new GatewayWorkflow(
            services.GetRequiredService<IOptionsMonitor<ClassificationOptions>>().CurrentValue,
            services.GetRequiredService<IOptionsMonitor<AlertOptions>>().CurrentValue,
            services.GetRequiredService<IOptionsMonitor<ReportingOptions>>().CurrentValue,
            services.GetRequiredService<IOptionsMonitor<GatewayWorkflowOptions>>().CurrentValue,
            services.GetRequiredService<SensorDirectory>(),
            readingSink,
            alertSinks,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<IMeterFactory>().Create(FloxideTelemetry.Name));
    }

    private static WorkflowHostedService CreateWorkflowService(IServiceProvider provider)
    {
        var loggerFactory = provider.GetRequiredService<ILoggerFactory>();
        var reporter = provider.GetRequiredService<GatewayStatusReporter>();
        var sink = FaultInjection.Apply(
            reporter.Decorate(provider.GetRequiredService<IReadingSink>()),
            provider.GetRequiredService<IOptions<DebugOptions>>().Value,
            loggerFactory.CreateLogger(typeof(FaultInjection).FullName!));
        IEnumerable<IAlertSink> alertSinks = provider.GetServices<IAlertSink>();
        if (provider.GetRequiredService<GpioAlertOutputs>().Sink is { } gpio)
        {
            alertSinks = alertSinks.Append(gpio);
        }

        var service = new WorkflowHostedService(
            CreateGatewayWorkflow(provider, sink, [.. alertSinks]),
            provider.GetRequiredService<GatewayStatus>(),
            provider.GetRequiredService<GatewayHealth>(),
            provider.GetRequiredService<IOptionsMonitor<GatewayHostOptions>>(),
            provider.GetRequiredService<IHostApplicationLifetime>(),
            loggerFactory.CreateLogger<WorkflowHostedService>());
        service.ReconfigureOnChange(
            provider.GetRequiredService<IOptionsMonitor<ClassificationOptions>>(),
            provider.GetRequiredService<IOptionsMonitor<AlertOptions>>(),
            provider.GetRequiredService<IOptionsMonitor<ReportingOptions>>());
        return service;
    }
}
