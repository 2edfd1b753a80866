using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Gateway.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Systemd;

/// <summary>
/// Tells systemd the gateway's life: <c>READY=1</c> once every part has started (the host raises ApplicationStarted
/// only after all hosted services' StartAsync returned), <c>STATUS=</c> whenever the summary or the health verdict
/// changes, and <c>STOPPING=1</c> as soon as a stop begins. It also evaluates health every
/// <see cref="GatewayHostOptions.HealthCheckInterval"/> and logs each change of verdict.
/// </summary>
public sealed partial class SystemdStatusService : BackgroundService
{
    private readonly SystemdNotifySocket notifier;
    private readonly GatewayStatus status;
    private readonly GatewayHealth health;
    private readonly IHostApplicationLifetime lifetime;
    private readonly IOptionsMonitor<GatewayHostOptions> options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? lastStatus;
    private volatile bool stopping;

    /// <summary>Creates the service.</summary>
    /// <param name="notifier">The notification socket.</param>
    /// <param name="status">The summary shown as <c>STATUS=</c>.</param>
    /// <param name="health">Evaluated every interval.</param>
    /// <param name="lifetime">Signals start and stop.</param>
    /// <param name="options">The health check interval.</param>
    /// <param name="timeProvider">Drives the interval.</param>
    /// <param name="logger">Logs readiness and health changes.</param>
    public SystemdStatusService(
        SystemdNotifySocket notifier,
        GatewayStatus status,
        GatewayHealth health,
        IHostApplicationLifetime lifetime,
        IOptionsMonitor<GatewayHostOptions> options,
        TimeProvider timeProvider,
        ILogger<SystemdStatusService> logger)
    {
        this.notifier = notifier;
        this.status = status;
        this.health = health;
        this.lifetime = lifetime;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <inheritdoc/>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var line = CurrentStatusLine(health.Evaluate());
            lastStatus = line;
            notifier.Notify($"READY=1\nSTATUS={line}\nMAINPID={Environment.ProcessId}");
            LogReady(logger, line);
            started.TrySetResult();
        });
        lifetime.ApplicationStopping.Register(() =>
        {
            stopping = true;
            notifier.Notify("STOPPING=1\nSTATUS=Stopping: finishing in-flight events");
        });
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wasHealthy = true;
        try
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                var report = health.Evaluate();
                if (report.IsHealthy != wasHealthy)
                {
                    wasHealthy = report.IsHealthy;
                    if (report.IsHealthy)
                    {
                        LogHealthy(logger);
                    }
                    else
                    {
                        LogUnhealthy(logger, report.ToString());
                    }
                }

                var line = CurrentStatusLine(report);
                if (!stopping && !string.Equals(line, lastStatus, StringComparison.Ordinal))
                {
                    lastStatus = line;
                    notifier.Notify("STATUS=" + line);
                }

                await Task.Delay(options.CurrentValue.HealthCheckInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private string CurrentStatusLine(HealthReport report)
    {
        var line = status.Snapshot().ToStatusLine();
        return report.IsHealthy ? line : $"{line}; {report}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway ready: {Status}")]
    private static partial void LogReady(ILogger logger, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gateway {Health}; the systemd watchdog is no longer fed")]
    private static partial void LogUnhealthy(ILogger logger, string health);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway healthy again; the systemd watchdog is fed")]
    private static partial void LogHealthy(ILogger logger);
}
