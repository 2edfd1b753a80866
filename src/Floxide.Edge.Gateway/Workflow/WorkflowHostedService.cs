using Floxide.Core.Graph;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Reporting;
using Floxide.Edge.Workflow;
using Floxide.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Workflow;

/// <summary>
/// Runs the <see cref="GatewayWorkflow"/> for the life of the host. Start returns once the loop is running and its
/// health check is registered. Stop completes the queue (the inputs were stopped before, being registered after),
/// lets the loop finish every queued event, only cancels it when the host's stop timeout runs out, then disposes the
/// workflow: queued alert notifications are delivered (to MQTT among others, which stops after this) and the alert
/// state file is written. A reloaded configuration reaches the workflow through <see cref="GatewayWorkflow.Reconfigure"/>.
/// </summary>
public sealed partial class WorkflowHostedService : IHostedService, IGatewayWorkflow, IAsyncDisposable
{
    private readonly GatewayStatus status;
    private readonly GatewayHealth health;
    private readonly IOptionsMonitor<GatewayHostOptions> hostOptions;
    private readonly IHostApplicationLifetime lifetime;
    private readonly ILogger logger;
    private readonly CancellationTokenSource abort = new();
    private readonly List<IDisposable> subscriptions = [];
    private Task? run;
    private volatile GatewayWorkflowState state;
    private volatile string? faultReason;
    private int disposed;

    /// <summary>Creates the service around an assembled workflow, which it owns from now on.</summary>
    /// <param name="gateway">The workflow.</param>
    /// <param name="status">Told the loop's state.</param>
    /// <param name="health">Where the loop's health check is registered on start.</param>
    /// <param name="hostOptions">The processing budget the health check holds the loop to.</param>
    /// <param name="lifetime">Stopped, with exit code 70, when the loop faults.</param>
    /// <param name="logger">Logs the loop's start, end, faults and reloads.</param>
    public WorkflowHostedService(
        GatewayWorkflow gateway,
        GatewayStatus status,
        GatewayHealth health,
        IOptionsMonitor<GatewayHostOptions> hostOptions,
        IHostApplicationLifetime lifetime,
        ILogger<WorkflowHostedService> logger)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(hostOptions);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(logger);
        Gateway = gateway;
        this.status = status;
        this.health = health;
        this.hostOptions = hostOptions;
        this.lifetime = lifetime;
        this.logger = logger;
    }

    /// <summary>The workflow.</summary>
    public GatewayWorkflow Gateway { get; }

    /// <summary>The workflow's queue; producers write to it through its <see cref="Readings.IGatewayEventWriter"/> side.</summary>
    public GatewayEventChannel Events => Gateway.Events;

    /// <inheritdoc/>
    public string Name => Gateway.Workflow.Name;

    /// <inheritdoc/>
    public GatewayWorkflowState State => state;

    /// <inheritdoc/>
    public string? FaultReason => faultReason;

    /// <inheritdoc/>
    public WorkflowGraph ToGraph() => Gateway.Workflow.ToGraph();

    /// <inheritdoc/>
    public EventWorkflowActivity GetActivity() => Gateway.Workflow.GetActivity();

    /// <summary>Applies reloaded options of the workflow's sections as they pass validation.</summary>
    /// <param name="classification">The classification options.</param>
    /// <param name="alerts">The alert options.</param>
    /// <param name="reporting">The reporting options.</param>
    public void ReconfigureOnChange(
        IOptionsMonitor<ClassificationOptions> classification, IOptionsMonitor<AlertOptions> alerts, IOptionsMonitor<ReportingOptions> reporting)
    {
        ArgumentNullException.ThrowIfNull(classification);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(reporting);
        Watch(classification, options => Gateway.Reconfigure(classification: options));
        Watch(alerts, options => Gateway.Reconfigure(alerts: options));
        Watch(reporting, options => Gateway.Reconfigure(reporting: options));
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscriptions.Add(health.Register(new WorkflowLoopHealthCheck(this, hostOptions)));
        state = GatewayWorkflowState.Running;
        status.ReportWorkflow($"running {Name}");
        run = Task.Run(RunAsync, CancellationToken.None);
        LogStarted(logger, Name);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (run is null)
        {
            return;
        }

        if (state == GatewayWorkflowState.Running)
        {
            state = GatewayWorkflowState.Draining;
            status.ReportWorkflow($"draining {Name}");
        }

        Gateway.Events.Complete();
        try
        {
            await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogDrainTimedOut(logger, Name);
            await abort.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);
        }

        await DisposeGatewayAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        subscriptions.Clear();
        await DisposeGatewayAsync().ConfigureAwait(false);
        abort.Dispose();
    }

    private async ValueTask DisposeGatewayAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await Gateway.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Watch<TOptions>(IOptionsMonitor<TOptions> monitor, Action<TOptions> apply)
    {
        var subscription = monitor.OnChange((options, _) =>
        {
            try
            {
                apply(options);
            }
            catch (ArgumentException exception)
            {
                // Validation passed before the reload was applied, so this is a gap between the two: keep running.
                LogReconfigureFailed(logger, typeof(TOptions).Name, exception.Message);
            }
        });
        if (subscription is not null)
        {
            subscriptions.Add(subscription);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            var result = await Gateway.RunAsync(abort.Token).ConfigureAwait(false);
            if (result.Outcome == EventWorkflowOutcome.SourceCompleted && state == GatewayWorkflowState.Draining)
            {
                state = GatewayWorkflowState.Stopped;
                status.ReportWorkflow($"stopped {Name}");
                LogDrained(logger, Name, result.EventsProcessed);
                return;
            }

            if (result.Outcome == EventWorkflowOutcome.Cancelled && abort.IsCancellationRequested)
            {
                state = GatewayWorkflowState.Stopped;
                LogCancelled(logger, Name, result.EventsProcessed, result.NodeId);
                return;
            }

            Fault($"the run ended unexpectedly ({result.Outcome} at node '{result.NodeId}')", null);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            state = GatewayWorkflowState.Stopped;
            LogCancelled(logger, Name, 0, "(unknown)");
        }
#pragma warning disable CA1031 // Whatever ends the loop must fault the gateway visibly; a silent end would look healthy while doing nothing.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Fault($"{exception.GetType().Name}: {exception.Message}", exception);
        }
    }

    private void Fault(string reason, Exception? exception)
    {
        faultReason = reason;
        state = GatewayWorkflowState.Faulted;
        status.ReportWorkflow($"faulted {Name}: {reason}");
        LogFaulted(logger, Name, reason, exception);

        // EX_SOFTWARE: systemd's Restart=on-failure brings the gateway back.
        Environment.ExitCode = 70;
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {Workflow} is running")]
    private static partial void LogStarted(ILogger logger, string workflow);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {Workflow} drained its input and stopped after {Events} events")]
    private static partial void LogDrained(ILogger logger, string workflow, long events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow {Workflow} was cancelled after {Events} events, at node '{Node}'")]
    private static partial void LogCancelled(ILogger logger, string workflow, long events, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow {Workflow} did not drain within the stop timeout; cancelling it")]
    private static partial void LogDrainTimedOut(ILogger logger, string workflow);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Workflow {Workflow} faulted: {Reason}; stopping the gateway with exit code 70")]
    private static partial void LogFaulted(ILogger logger, string workflow, string reason, Exception? exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloaded {Options} could not be applied to the running workflow: {Reason}; the previous settings stay")]
    private static partial void LogReconfigureFailed(ILogger logger, string options, string reason);
}
