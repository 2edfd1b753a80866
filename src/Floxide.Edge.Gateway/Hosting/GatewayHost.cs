using Floxide.Edge.Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>
/// Builds the gateway's host: the written configuration is validated, and only then copied into the configuration the
/// services bind from. Features plug in at one composition point each, in the order they must start (and, reversed,
/// stop): host core, metrics, broker, MQTT and outbox, workflow, inputs, console.
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
        // MQTT and outbox plug in here (publishing, flushing on stop), before the workflow that feeds them.
        builder.Services.AddSampleWorkflow();
        // Sensors, pollers and the simulated fleet plug in here, after the workflow, so they stop first.
        builder.Services.AddSampleSensors();
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
