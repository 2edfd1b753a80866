using System.Diagnostics.Metrics;
using Floxide.Edge.Devices;
using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Workflow;
using Floxide.Edge.Sensors;
using Floxide.Edge.Simulation;
using Floxide.Edge.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Sensors;

/// <summary>
/// The gateway's own inputs, started last and stopped first: a poller per sensor of <c>Floxide:Sensors:Devices</c> on
/// the machine's buses and, when simulating (no sensors configured, or <c>Floxide:Simulation:Enabled</c>), the
/// simulated on-board chips read by the real drivers plus the synthetic fleet. Each poller beats a heartbeat with every
/// event it produces, so a poller that stops is ill health (the watchdog is no longer fed); a sensor that fails is not,
/// since its faults are events.
/// </summary>
public sealed partial class SensorInputService : IHostedService, IDisposable
{
    private readonly IServiceProvider services;
    private readonly GatewayHealth health;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> running = [];
    private readonly Dictionary<string, Heartbeat> heartbeats = new(StringComparer.Ordinal);
    private SystemSensorHardware? hardware;
    private PolledSensorSource? polled;
    private OnBoardSimulation? onBoard;

    /// <summary>Creates the service; sensors are set up when it starts.</summary>
    /// <param name="services">Resolves the options, the profiles, the sensor directory and the workflow at start.</param>
    /// <param name="health">Where the pollers' heartbeats are registered.</param>
    /// <param name="timeProvider">The clock of pollers and simulations.</param>
    /// <param name="loggerFactory">Creates the parts' loggers.</param>
    public SensorInputService(IServiceProvider services, GatewayHealth health, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.services = services;
        this.health = health;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<SensorInputService>();
    }

    /// <summary>The simulated on-board sensors, when simulating.</summary>
    public OnBoardSimulation? OnBoard => onBoard;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var sensors = services.GetRequiredService<IOptions<SensorsOptions>>().Value;
        var simulation = services.GetRequiredService<IOptions<SimulationOptions>>().Value;
        var catalog = services.GetRequiredService<DeviceCatalog>();
        var directory = services.GetRequiredService<SensorDirectory>();
        var events = services.GetRequiredService<WorkflowHostedService>().Events;
        var metrics = new SensorMetrics(services.GetRequiredService<IMeterFactory>().Create(FloxideTelemetry.Name));
        var pollerLogger = loggerFactory.CreateLogger<SensorPoller>();
        var pollerEvents = new HeartbeatEventWriter(events, Beat);

        List<SensorPoller> pollers = [];
        if (sensors.Devices.Any(device => device.Enabled))
        {
            hardware = new SystemSensorHardware(sensors.OneWireDevicesPath);
            polled = new PolledSensorSource(sensors, catalog, hardware, SensorOrigin.Hardware, directory, pollerEvents, timeProvider, pollerLogger, metrics);
            pollers.AddRange(polled.Pollers);
        }

        var fleetSensors = 0;
        SimulatedFleetSource? fleet = null;
        if (simulation.IsActive(sensors.Devices.Count))
        {
            onBoard = new OnBoardSimulation(simulation, catalog, directory, pollerEvents, timeProvider, pollerLogger, sensors, metrics);
            pollers.AddRange(onBoard.Pollers.Pollers);
            if (simulation.FleetSensors > 0)
            {
                fleetSensors = simulation.FleetSensors;
                fleet = new SimulatedFleetSource(new SyntheticFleet(simulation), directory, events, timeProvider);
            }
        }

        foreach (var poller in pollers)
        {
            var interval = directory.TryGet(poller.SensorId, out var descriptor) ? descriptor.Interval : TimeSpan.FromMinutes(1);
            // Three missed polls, each allowed its full read timeout: a poller this late is stuck, not slow.
            heartbeats[poller.SensorId] = health.AddHeartbeat($"poller {poller.SensorId}", (3 * interval) + (3 * sensors.ReadTimeout) + TimeSpan.FromSeconds(5));
        }

        if (polled is not null)
        {
            running.Add(polled.RunAsync(stopping.Token));
        }

        if (onBoard is not null)
        {
            running.Add(onBoard.RunAsync(stopping.Token));
        }

        if (fleet is not null)
        {
            running.Add(fleet.RunAsync(stopping.Token));
        }

        LogStarted(logger, polled?.Pollers.Count ?? 0, onBoard is null ? "none" : string.Join(", ", simulation.EffectiveOnBoard), fleetSensors);
        if (polled is null && onBoard is null)
        {
            LogNoSensors(logger);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopTimedOut(logger);
        }

        foreach (var heartbeat in heartbeats.Values)
        {
            heartbeat.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        polled?.Dispose();
        onBoard?.Dispose();
        hardware?.Dispose();
        stopping.Dispose();
    }

    private void Beat(string sensorId)
    {
        if (heartbeats.TryGetValue(sensorId, out var heartbeat))
        {
            heartbeat.Beat();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sensors: {Hardware} on this machine's buses; simulated on board: {OnBoard}; simulated fleet: {Fleet} sensor(s)")]
    private static partial void LogStarted(ILogger logger, int hardware, string onBoard, int fleet);

    [LoggerMessage(Level = LogLevel.Information, Message = "No sensors of its own: Floxide:Sensors:Devices lists none enabled and Floxide:Simulation:Enabled is false; readings come from MQTT only")]
    private static partial void LogNoSensors(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor pollers did not stop within the stop timeout")]
    private static partial void LogStopTimedOut(ILogger logger);
}
