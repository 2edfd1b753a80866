using Floxide.Core;
using Floxide.Core.Graph;
using Floxide.Edge.Gateway.Status;
using Floxide.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Gateway.Workflow;

/// <summary>
/// Runs an event-driven workflow for the life of the host. Start returns once the loop is waiting for events. Stop
/// completes the input channel (the parts that feed it were stopped before, being registered after), lets the loop
/// finish every queued event, and only cancels it when the host's stop timeout runs out.
/// </summary>
/// <typeparam name="TEvent">The workflow's events.</typeparam>
/// <typeparam name="TContext">The state shared by its nodes.</typeparam>
/// <typeparam name="TAction">Its route labels.</typeparam>
public sealed partial class WorkflowHostedService<TEvent, TContext, TAction> : IHostedService, IGatewayWorkflow, IDisposable
    where TAction : notnull
{
    private readonly EventDrivenWorkflow<TEvent, TContext, TAction> workflow;
    private readonly TContext context;
    private readonly ChannelEventSource<TEvent> input;
    private readonly GatewayStatus status;
    private readonly IHostApplicationLifetime lifetime;
    private readonly ILogger logger;
    private readonly CancellationTokenSource abort = new();
    private Task? run;
    private volatile GatewayWorkflowState state;
    private volatile string? faultReason;

    /// <summary>Creates the service.</summary>
    /// <param name="workflow">The workflow to run.</param>
    /// <param name="context">The state shared by its nodes.</param>
    /// <param name="input">The channel its inputs write to; completed on stop.</param>
    /// <param name="status">Told the loop's state.</param>
    /// <param name="lifetime">Stopped, with exit code 70, when the loop faults.</param>
    /// <param name="logger">Logs the loop's start, end and faults.</param>
    public WorkflowHostedService(
        EventDrivenWorkflow<TEvent, TContext, TAction> workflow,
        TContext context,
        ChannelEventSource<TEvent> input,
        GatewayStatus status,
        IHostApplicationLifetime lifetime,
        ILogger<WorkflowHostedService<TEvent, TContext, TAction>> logger)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(logger);
        this.workflow = workflow;
        this.context = context;
        this.input = input;
        this.status = status;
        this.lifetime = lifetime;
        this.logger = logger;
    }

    /// <inheritdoc/>
    public string Name => workflow.Name;

    /// <inheritdoc/>
    public GatewayWorkflowState State => state;

    /// <inheritdoc/>
    public string? FaultReason => faultReason;

    /// <inheritdoc/>
    public WorkflowGraph ToGraph() => workflow.ToGraph();

    /// <inheritdoc/>
    public EventWorkflowActivity GetActivity() => workflow.GetActivity();

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        state = GatewayWorkflowState.Running;
        status.ReportWorkflow($"running {workflow.Name}");
        run = Task.Run(RunAsync, CancellationToken.None);
        LogStarted(logger, workflow.Name);
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
            status.ReportWorkflow($"draining {workflow.Name}");
        }

        input.Complete();
        try
        {
            await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogDrainTimedOut(logger, workflow.Name);
            await abort.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => abort.Dispose();

    private async Task RunAsync()
    {
        try
        {
            var result = await workflow.ExecuteAsync(context, abort.Token).ConfigureAwait(false);
            if (result.Outcome == EventWorkflowOutcome.SourceCompleted && state == GatewayWorkflowState.Draining)
            {
                state = GatewayWorkflowState.Stopped;
                status.ReportWorkflow($"stopped {workflow.Name}");
                LogDrained(logger, workflow.Name, result.EventsProcessed);
                return;
            }

            if (result.Outcome == EventWorkflowOutcome.Cancelled)
            {
                state = GatewayWorkflowState.Stopped;
                LogCancelled(logger, workflow.Name, result.EventsProcessed, result.NodeId);
                return;
            }

            Fault($"the run ended unexpectedly ({result.Outcome} at node '{result.NodeId}')", null);
        }
        catch (Exception exception) when (exception is NodeExecutionException or EventRoutingException or InvalidOperationException)
        {
            Fault(exception.Message, exception);
        }
    }

    private void Fault(string reason, Exception? exception)
    {
        faultReason = reason;
        state = GatewayWorkflowState.Faulted;
        status.ReportWorkflow($"faulted {workflow.Name}: {reason}");
        LogFaulted(logger, workflow.Name, reason, exception);

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
}
