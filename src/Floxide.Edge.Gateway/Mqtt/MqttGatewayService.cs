using System.Diagnostics.Metrics;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Gateway.Workflow;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Outbox;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Mqtt;

/// <summary>
/// The gateway's MQTT side, built when it starts (after the embedded broker, whose port it may connect to): the broker
/// connection, the outbox, the publisher (the workflow's reading sink, and through <see cref="MqttAlertSink"/> an alert
/// sink), Home Assistant discovery and the fleet ingest into the workflow's queue. It stops after the workflow drained:
/// the publisher stores what is unacknowledged in the outbox, then the connection publishes <c>offline</c> and closes.
/// The connection's state and the outbox depth are shown in the gateway's status; a broker outage is never ill health.
/// </summary>
public sealed partial class MqttGatewayService : IHostedService, IAsyncDisposable
{
    private readonly IServiceProvider services;
    private readonly GatewayStatus status;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private MqttConnection? connection;
    private OutboxStore? outbox;
    private MqttPublisher? publisher;

    /// <summary>Creates the service; nothing connects until <see cref="StartAsync"/>.</summary>
    /// <param name="services">Resolves the options, the sensor directory and the workflow at start.</param>
    /// <param name="status">Shows the connection's state and the outbox depth.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Creates the parts' loggers.</param>
    public MqttGatewayService(IServiceProvider services, GatewayStatus status, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.services = services;
        this.status = status;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<MqttGatewayService>();
    }

    /// <summary>The publisher.</summary>
    /// <exception cref="InvalidOperationException">The service has not started yet.</exception>
    public MqttPublisher Publisher => publisher ?? throw new InvalidOperationException("The MQTT publisher is created when the MQTT service starts.");

    /// <summary>The broker connection, once started.</summary>
    public MqttConnection? Connection => connection;

    /// <summary>The fleet ingest, once started.</summary>
    public MqttFleetIngest? Ingest { get; private set; }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The outbox (and the alert state) live in the state directory; the outbox's options check that it exists.
        Directory.CreateDirectory(GatewayStateDirectory.Resolve(services.GetRequiredService<IOptionsMonitor<GatewayHostOptions>>().CurrentValue.StateDirectory));
        var options = services.GetRequiredService<IOptions<MqttOptions>>().Value;
        var outboxOptions = services.GetRequiredService<IOptions<OutboxOptions>>().Value;
        var meter = services.GetRequiredService<IMeterFactory>().Create(FloxideTelemetry.Name);
        var directory = services.GetRequiredService<SensorDirectory>();
        if (Path.GetDirectoryName(outboxOptions.Path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        connection = new MqttConnection(options, loggerFactory.CreateLogger<MqttConnection>(), timeProvider);
        outbox = OutboxStore.Open(outboxOptions, loggerFactory.CreateLogger<OutboxStore>(), timeProvider, meter);
        publisher = new MqttPublisher(options, outboxOptions, connection, outbox, loggerFactory.CreateLogger<MqttPublisher>(), timeProvider, meter);
        _ = new HomeAssistantDiscovery(options, connection, directory, loggerFactory.CreateLogger<HomeAssistantDiscovery>());

        // Building the workflow here hands it the publisher; the ingest then writes into its queue.
        var workflow = services.GetRequiredService<WorkflowHostedService>();
        Ingest = new MqttFleetIngest(options, connection, workflow.Events, directory,
            loggerFactory.CreateLogger<MqttFleetIngest>(), timeProvider, meter);

        var broker = $"{options.Host}:{options.Port}";
        connection.StatusChanged += state => status.ReportBroker(Describe(state, broker));
        status.ReportBroker(Describe(connection.Status, broker));
        var store = outbox;
        status.ReportOutboxDepth(() => store.Count);
        LogStarting(logger, broker, options.GatewayId, outbox.Count, outboxOptions.Path);

        await publisher.StartAsync(cancellationToken).ConfigureAwait(false);
        await connection.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (publisher is not null)
        {
            await publisher.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        if (connection is not null)
        {
            await connection.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        if (outbox is not null)
        {
            LogStopped(logger, publisher?.Published ?? 0, outbox.Count);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (publisher is not null)
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
            publisher = null;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            connection = null;
        }

        outbox?.Dispose();
        outbox = null;
    }

    internal static string Describe(MqttConnectionStatus state, string broker) => state.State switch
    {
        MqttConnectionState.Connected => $"connected to {broker}",
        MqttConnectionState.Connecting => $"connecting to {broker}",
        MqttConnectionState.Stopped => $"stopped ({broker})",
        _ => $"{state.State.ToString().ToLowerInvariant()} ({broker}): {state.Detail}{(state.RetryIn is { } retry ? $", retry in {retry.TotalSeconds:0.#} s" : string.Empty)}",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: publishing to {Broker} as gateway '{GatewayId}'; {Stored} message(s) waiting in the outbox {Path}")]
    private static partial void LogStarting(ILogger logger, string broker, string gatewayId, long stored, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT stopped: {Published} message(s) published; {Stored} kept in the outbox for the next start")]
    private static partial void LogStopped(ILogger logger, long published, long stored);
}

/// <summary>The workflow's reading sink: the <see cref="MqttPublisher"/>, which the MQTT service owns and disposes.</summary>
/// <param name="mqtt">The MQTT service, started.</param>
internal sealed class MqttReadingSink(MqttGatewayService mqtt) : IReadingSink
{
    private readonly MqttPublisher publisher = mqtt.Publisher;

    public ValueTask WriteAsync(SensorReading reading, CancellationToken cancellationToken = default) =>
        publisher.WriteAsync(reading, cancellationToken);
}
