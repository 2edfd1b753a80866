using Floxide.Edge.Gateway.Broker;
using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Metrics;
using Floxide.Edge.Gateway.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Floxide.Edge.Gateway.Dashboard;

/// <summary>
/// The live table <c>floxide-edge run</c> shows on an interactive terminal: sensors with their last values and
/// states, active alerts, the broker, health, and the latest log lines. Under systemd or in a pipe the plain log is
/// written instead.
/// </summary>
public sealed class LiveDashboard : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);
    private readonly GatewayStatus status;
    private readonly GatewayHealth health;
    private readonly DashboardLogSink log;
    private readonly IServiceProvider services;
    private readonly IHostApplicationLifetime lifetime;

    /// <summary>Creates the dashboard.</summary>
    /// <param name="status">The sensors, alerts and broker shown.</param>
    /// <param name="health">The health shown.</param>
    /// <param name="log">The log lines shown.</param>
    /// <param name="services">Resolves the optional broker and metrics endpoint for their addresses.</param>
    /// <param name="lifetime">The dashboard starts drawing once the gateway is ready.</param>
    public LiveDashboard(GatewayStatus status, GatewayHealth health, DashboardLogSink log, IServiceProvider services, IHostApplicationLifetime lifetime)
    {
        this.status = status;
        this.health = health;
        this.log = log;
        this.services = services;
        this.lifetime = lifetime;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => ready.TrySetResult()))
        {
            try
            {
                await ready.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await AnsiConsole.Live(Render()).AutoClear(false).StartAsync(async context =>
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                context.UpdateTarget(Render());
                try
                {
                    await Task.Delay(RefreshInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            context.UpdateTarget(Render());
        }).ConfigureAwait(false);
    }

    private Rows Render()
    {
        var snapshot = status.Snapshot();
        var report = health.Latest;
        var broker = services.GetService<EmbeddedBroker>();
        var metrics = services.GetService<MetricsEndpoint>();

        var header = new Markup(
            $"[bold]floxide-edge[/] {Markup.Escape(Cli.VersionInfo.Version)}  " +
            $"{(report.IsHealthy ? "[green]healthy[/]" : "[red]" + Markup.Escape(report.ToString()) + "[/]")}  " +
            $"workflow: {Markup.Escape(snapshot.Workflow ?? "starting")}  broker: {Markup.Escape(snapshot.Broker)}" +
            (snapshot.OutboxDepth is { } depth ? $"  outbox: {depth}" : string.Empty));

        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn("Sensor");
        table.AddColumn(new TableColumn("Last value").RightAligned());
        table.AddColumn("State");
        table.AddColumn("Updated");
        foreach (var sensor in snapshot.Sensors)
        {
            var color = sensor.State switch
            {
                "normal" => "green",
                "warning" or "stale" => "yellow",
                "critical" or "offline" => "red",
                _ => "grey",
            };
            table.AddRow(
                Markup.Escape(sensor.SensorId),
                Markup.Escape(sensor.LastValue ?? "-"),
                $"[{color}]{Markup.Escape(sensor.State)}[/]",
                sensor.UpdatedAt.ToLocalTime().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (snapshot.Sensors.Count == 0)
        {
            table.AddRow("[grey]no sensors yet[/]", string.Empty, string.Empty, string.Empty);
        }

        var parts = new List<IRenderable> { header, table };
        parts.Add(new Markup(snapshot.ActiveAlerts.Count == 0
            ? "[green]No active alerts[/]"
            : "[bold red]Active alerts[/]\n" + string.Join('\n', snapshot.ActiveAlerts.Select(alert => "  [red]•[/] " + Markup.Escape(alert)))));
        var hints = new List<string>();
        if (broker is not null)
        {
            hints.Add("watch: " + broker.WatchCommand);
        }

        if (metrics?.Address is { } address)
        {
            hints.Add($"metrics: {address}metrics");
        }

        hints.Add("Ctrl+C stops");
        parts.Add(new Markup("[grey]" + Markup.Escape(string.Join("   ", hints)) + "[/]"));
        foreach (var (level, line) in log.Snapshot())
        {
            var color = level >= LogLevel.Error ? "red" : level == LogLevel.Warning ? "yellow" : "grey";
            parts.Add(new Markup($"[{color}]{Markup.Escape(line)}[/]"));
        }

        return new Rows(parts);
    }
}
