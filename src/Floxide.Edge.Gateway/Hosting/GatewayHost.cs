using Floxide.Edge.Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>
/// Builds the gateway's host: the written configuration is validated, and only then copied into the configuration the
/// services bind from. Features plug in at one composition point each, in the order they must start (and, reversed,
/// stop): host core, metrics, embedded broker, MQTT and outbox, workflow, sensors, console. The MQTT, workflow and
/// sensor services are built at their own start, each from what started before it.
/// </summary>
public sealed class GatewayHost : IDisposable
{
    private GatewayHost(IHost host, GatewayConfigurationSources sources, IReadOnlyList<ConfigurationProblem> problems)
    {
        Host = host;
        Sources = sources;
        Problems = problems;
    }

    /// <summary>The built host; run it only when <see cref="Problems"/> is empty.</summary>
    public IHost Host { get; }

    /// <summary>The configuration as written.</summary>
    public GatewayConfigurationSources Sources { get; }

    /// <summary>Every configuration problem found at build; the running configuration is applied only when there is none.</summary>
    public IReadOnlyList<ConfigurationProblem> Problems { get; }

    /// <summary>The services.</summary>
    public IServiceProvider Services => Host.Services;

    /// <summary>Builds the host and validates the configuration.</summary>
    /// <param name="sources">The configuration as written.</param>
    /// <param name="mode">How the console is used.</param>
    /// <returns>The host, with its configuration applied when valid.</returns>
    public static GatewayHost Build(GatewayConfigurationSources sources, ConsoleMode mode)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var applied = new AppliedConfigurationSource();
        var configuration = new ConfigurationManager();
        ((IConfigurationBuilder)configuration).Add(applied);
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "floxide-edge",
            Configuration = configuration,
            ContentRootPath = AppContext.BaseDirectory,
        });

        ConfigureLogging(builder.Logging, builder.Configuration, mode);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton(sources);
        builder.Services.AddSingleton(applied.Provider);

        builder.Services.AddGatewayHostCore();
        builder.Services.AddMetricsEndpoint();
        builder.Services.AddEmbeddedBroker(sources.Root);
        builder.Services.AddGatewayMqtt();
        builder.Services.AddGatewayWorkflow();
        builder.Services.AddGatewaySensors();
        if (mode == ConsoleMode.Dashboard)
        {
            builder.Services.AddLiveDashboard();
        }

        var host = builder.Build();

        // Nothing that binds options may be resolved before the validated configuration is applied: IOptions<T>
        // binds once, on first use.
        var problems = host.Services.GetRequiredService<ConfigurationValidator>().Validate(sources);
        if (problems.Count == 0)
        {
            applied.Provider.Apply(sources.Root);
            host.Services.GetRequiredService<Metrics.GatewayInstruments>();

            // The Host read its HostOptions when it was built, before the validated configuration was applied, and
            // keeps that instance: give it the configured stop timeout now, and again on each reload.
            var hostOptions = host.Services.GetRequiredService<IOptions<HostOptions>>().Value;
            var gatewayOptions = host.Services.GetRequiredService<IOptionsMonitor<GatewayHostOptions>>();
            hostOptions.ShutdownTimeout = gatewayOptions.CurrentValue.ShutdownTimeout;
            gatewayOptions.OnChange((options, _) => hostOptions.ShutdownTimeout = options.ShutdownTimeout);
        }

        return new GatewayHost(host, sources, problems);
    }

    /// <inheritdoc/>
    public void Dispose() => Host.Dispose();

    private static void ConfigureLogging(ILoggingBuilder logging, ConfigurationManager configuration, ConsoleMode mode)
    {
        logging.AddConfiguration(configuration.GetSection("Logging"));
        switch (mode)
        {
            case ConsoleMode.Journald:
                // journald stamps each line itself and reads the <N> prefix as the priority.
                logging.AddSystemdConsole(options =>
                {
                    options.IncludeScopes = false;
                    options.TimestampFormat = null;
                });
                break;
            case ConsoleMode.Plain:
                logging.AddSimpleConsole(options =>
                {
                    options.SingleLine = true;
                    options.TimestampFormat = "HH:mm:ss.fff ";
                    options.ColorBehavior = LoggerColorBehavior.Disabled;
                });
                break;
            case ConsoleMode.Dashboard:
                // AddLiveDashboard sends log entries to the table.
                break;
        }
    }
}
