using System.Diagnostics.Metrics;
using Floxide.Edge.Gateway.Broker;
using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Sample;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Gateway.Workflow;
using Floxide.Edge.Readings;
using Floxide.Edge.Telemetry;
using Floxide.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>
/// The workflow's composition point. Today it wires the temperature-monitor sample; the gateway workflow replaces it
/// by registering its own <see cref="WorkflowHostedService{TEvent, TContext, TAction}"/> as <see cref="IGatewayWorkflow"/>.
/// </summary>
public static class SampleServiceCollectionExtensions
{
    /// <summary>Adds the sample workflow, its input channel and its health check. Its producer is added by <see cref="AddSampleSensors"/>.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSampleWorkflow(this IServiceCollection services)
    {
        services.AddGatewayOptions<SampleOptions>(SampleOptions.Section, static (section, options) => section.Bind(options));
        services.AddSingleton<IValidateOptions<SampleOptions>, SampleOptionsValidator>();
        services.AddSingleton(provider => new ChannelEventSource<SensorReading>(
            "readings", capacity: 1024, ChannelFullMode.DropOldest,
            meter: provider.GetRequiredService<IMeterFactory>().Create(FloxideTelemetry.Name)));
        services.AddSingleton(provider =>
        {
            var loggerFactory = provider.GetRequiredService<ILoggerFactory>();
            var workflow = TemperatureMonitorSample.Build(
                provider.GetRequiredService<ChannelEventSource<SensorReading>>(),
                provider.GetRequiredService<GatewayStatus>(),
                provider.GetService<EmbeddedBroker>(),
                provider.GetRequiredService<IOptions<DebugOptions>>().Value,
                provider.GetRequiredService<IMeterFactory>().Create(FloxideTelemetry.Name),
                loggerFactory.CreateLogger("Floxide.Edge.Gateway.Sample"));
            return new WorkflowHostedService<SensorReading, SampleContext, string>(
                workflow,
                new SampleContext(),
                provider.GetRequiredService<ChannelEventSource<SensorReading>>(),
                provider.GetRequiredService<GatewayStatus>(),
                provider.GetRequiredService<IHostApplicationLifetime>(),
                loggerFactory.CreateLogger<WorkflowHostedService<SensorReading, SampleContext, string>>());
        });
        services.AddSingleton<IGatewayWorkflow>(provider => provider.GetRequiredService<WorkflowHostedService<SensorReading, SampleContext, string>>());
        services.AddHostedService(provider => provider.GetRequiredService<WorkflowHostedService<SensorReading, SampleContext, string>>());
        services.AddSingleton<IHealthCheck, WorkflowLoopHealthCheck>();
        return services;
    }

    /// <summary>Adds the sample's sensors; the sensors' composition point replaces this with pollers and simulated sensors.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSampleSensors(this IServiceCollection services)
    {
        services.AddHostedService<SampleSensorProducer>();
        return services;
    }
}

/// <summary>Checks <see cref="SampleOptions"/>.</summary>
internal sealed class SampleOptionsValidator : IValidateOptions<SampleOptions>
{
    public ValidateOptionsResult Validate(string? name, SampleOptions options)
    {
        var failures = new List<string>();
        DurationRule.Check(failures, $"{SampleOptions.Section}:Interval", options.Interval,
            TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), "e.g. 00:00:01");
        if (options.Sensors.Count > 64)
        {
            failures.Add($"{SampleOptions.Section}:Sensors has {options.Sensors.Count} entries: at most 64 are allowed. Fix: remove some.");
        }

        for (var index = 0; index < options.Sensors.Count; index++)
        {
            if (string.IsNullOrWhiteSpace(options.Sensors[index]))
            {
                failures.Add($"{SampleOptions.Section}:Sensors:{index} = '{options.Sensors[index]}': a sensor id must not be empty. Fix: give the sensor a name, e.g. \"greenhouse\".");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
