using Floxide.Edge.Gateway.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Gateway.Systemd;

/// <summary>
/// Feeds systemd's watchdog: <c>WATCHDOG=1</c> every half <c>WATCHDOG_USEC</c>, but only while
/// <see cref="GatewayHealth"/> says the gateway is healthy. A hung workflow node or a dead poller therefore stops the
/// pings and systemd restarts the service; a broker outage does not, since no health check judges the broker.
/// </summary>
public sealed partial class SystemdWatchdogService : BackgroundService
{
    private readonly SystemdNotifySocket notifier;
    private readonly SystemdWatchdogSettings settings;
    private readonly GatewayHealth health;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    /// <summary>Creates the service.</summary>
    /// <param name="notifier">The notification socket.</param>
    /// <param name="settings">The watchdog period, from <c>WATCHDOG_USEC</c>/<c>WATCHDOG_PID</c>.</param>
    /// <param name="health">Consulted before every ping.</param>
    /// <param name="timeProvider">Drives the ping interval.</param>
    /// <param name="logger">Logs the watchdog's period and each withheld ping.</param>
    public SystemdWatchdogService(
        SystemdNotifySocket notifier,
        SystemdWatchdogSettings settings,
        GatewayHealth health,
        TimeProvider timeProvider,
        ILogger<SystemdWatchdogService> logger)
    {
        this.notifier = notifier;
        this.settings = settings;
        this.health = health;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.IsEnabled || !notifier.IsEnabled)
        {
            return;
        }

        LogEnabled(logger, settings.Period!.Value.TotalSeconds, settings.PingInterval.TotalSeconds);
        using var timer = new PeriodicTimer(settings.PingInterval, timeProvider);
        try
        {
            do
            {
                var report = health.Evaluate();
                if (report.IsHealthy)
                {
                    notifier.Notify("WATCHDOG=1");
                }
                else
                {
                    LogWithheld(logger, report.ToString());
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog: period {Period} s, pinging every {Interval} s while healthy")]
    private static partial void LogEnabled(ILogger logger, double period, double interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "systemd watchdog ping withheld: {Health}")]
    private static partial void LogWithheld(ILogger logger, string health);
}
