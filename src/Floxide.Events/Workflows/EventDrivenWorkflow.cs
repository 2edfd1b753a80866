using System.Runtime.CompilerServices;
using Floxide.Core;
using Floxide.Core.Graph;
using Floxide.Core.Routing;

namespace Floxide.Events;

/// <summary>
/// An event-driven workflow (ADR-0009): a run waits on a source; each event is routed by the source's action to a
/// processor, by that processor's action on to another processor, and so on until an action routes it back to a
/// source (wait for the next event there) or is the termination action. Build one with
/// <see cref="EventDrivenWorkflowBuilder{TEvent, TContext, TAction}"/>, which checks the graph first.
/// </summary>
/// <typeparam name="TEvent">The events that flow through the workflow.</typeparam>
/// <typeparam name="TContext">The state shared by the nodes of a run.</typeparam>
/// <typeparam name="TAction">The type whose values name routes.</typeparam>
/// <remarks>
/// One run at a time, since sources have one reader; a second concurrent <c>ExecuteAsync</c> throws.
/// <see cref="GetActivity"/> may be called from any thread.
/// </remarks>
public sealed class EventDrivenWorkflow<TEvent, TContext, TAction>
    where TAction : notnull
{
    private const int Idle = -1;

    private readonly string[] ids;
    private readonly IEventSource<TEvent>?[] sources;
    private readonly IEventProcessor<TEvent, TContext, TAction>?[] processors;
    private readonly TAction[] sourceActions;
    private readonly RouteTable<TAction> routes;
    private readonly int initialIndex;
    private readonly bool hasTermination;
    private readonly TAction terminationAction;
    private readonly DeadLetterHandler<TEvent>? deadLetterHandler;
    private readonly TimeProvider timeProvider;
    private readonly EventWorkflowMetrics metrics;
    private int running;
    private readonly ActivityObservation observation = new();
    private int activeNode = Idle;
    private long eventSequence;

    internal EventDrivenWorkflow(EventDrivenWorkflowDefinition<TEvent, TContext, TAction> definition, RouteTable<TAction> routes)
    {
        Name = definition.Name;
        ids = [.. routes.NodeIds];
        sources = [.. definition.Nodes.Select(node => node.Source)];
        processors = [.. definition.Nodes.Select(node => node.Processor)];
        sourceActions = [.. definition.Nodes.Select(node => node.SourceAction)];
        this.routes = routes;
        initialIndex = routes.IndexOf(definition.InitialNodeId!);
        hasTermination = definition.HasTermination;
        terminationAction = definition.TerminationAction;
        ErrorPolicy = definition.ErrorPolicy;
        deadLetterHandler = definition.DeadLetterHandler;
        MaxHopsPerEvent = definition.MaxHopsPerEvent;
        timeProvider = definition.TimeProvider;
        metrics = new EventWorkflowMetrics(definition.Meter ?? EventTelemetry.DefaultMeter, Name);
    }

    /// <summary>The workflow's name, used in errors, metrics and graphs.</summary>
    public string Name { get; }

    /// <summary>What happens when a node throws or an action has no route.</summary>
    public EventErrorPolicy ErrorPolicy { get; }

    /// <summary>The most processors one event may pass through before it counts as a routing failure.</summary>
    public int MaxHopsPerEvent { get; }

    /// <summary>Runs until termination, the completion of the source being waited on, or cancellation.</summary>
    /// <param name="context">The state shared by the run's nodes.</param>
    /// <param name="cancellationToken">Ends the run with <see cref="EventWorkflowOutcome.Cancelled"/>.</param>
    /// <returns>How the run ended.</returns>
    /// <exception cref="NodeExecutionException">Under <see cref="EventErrorPolicy.FailRun"/>, a node threw.</exception>
    /// <exception cref="EventRoutingException">Under <see cref="EventErrorPolicy.FailRun"/>, an event could not be routed.</exception>
    /// <exception cref="InvalidOperationException">The workflow is already running.</exception>
    public ValueTask<EventWorkflowResult> ExecuteAsync(TContext context, CancellationToken cancellationToken = default) =>
        RunAsync(context, cancellationToken, cancellationToken);

    /// <summary>Runs as <see cref="ExecuteAsync(TContext, CancellationToken)"/> does, but for at most <paramref name="timeout"/>.</summary>
    /// <param name="context">The state shared by the run's nodes.</param>
    /// <param name="timeout">How long the run may last, measured by the workflow's <see cref="TimeProvider"/>.</param>
    /// <param name="cancellationToken">Ends the run with <see cref="EventWorkflowOutcome.Cancelled"/>.</param>
    /// <returns>How the run ended; <see cref="EventWorkflowOutcome.TimedOut"/> when the timeout elapsed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="NodeExecutionException">Under <see cref="EventErrorPolicy.FailRun"/>, a node threw.</exception>
    /// <exception cref="EventRoutingException">Under <see cref="EventErrorPolicy.FailRun"/>, an event could not be routed.</exception>
    public async ValueTask<EventWorkflowResult> ExecuteAsync(TContext context, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linkedSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        return await RunAsync(context, linkedSource.Token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What the current run is doing: idle between events, or which node the current event is at and how long it
    /// has been in the workflow, measured from the first call of this method that saw it.
    /// </summary>
    /// <returns>The current activity.</returns>
    /// <remarks>
    /// The run loop records only which event and node it is at, never the time, so that watching costs the hot path
    /// nothing; a watchdog that polls every second therefore knows each event's age to within a second.
    /// </remarks>
    public EventWorkflowActivity GetActivity()
    {
        var node = Volatile.Read(ref activeNode);
        var sequence = Volatile.Read(ref eventSequence);
        if (node == Idle)
        {
            return default;
        }

        lock (observation)
        {
            if (sequence != observation.Sequence)
            {
                observation.Sequence = sequence;
                observation.Since = timeProvider.GetTimestamp();
            }

            return new EventWorkflowActivity(ids[node], timeProvider.GetElapsedTime(observation.Since));
        }
    }

    /// <summary>Describes the workflow's nodes and routes, e.g. for <see cref="MermaidFlowchart"/>.</summary>
    /// <returns>The workflow's graph.</returns>
    public WorkflowGraph ToGraph() => new(
        Name,
        ids[initialIndex],
        [.. ids.Select((id, index) => new GraphNode(id, sources[index] is null ? GraphNodeRole.Processor : GraphNodeRole.Source))],
        GraphEdges.From(routes),
        hasTermination ? terminationAction.ToString() : null);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<EventWorkflowResult> RunAsync(TContext context, CancellationToken runToken, CancellationToken callerToken)
    {
        if (Interlocked.Exchange(ref running, 1) == 1)
        {
            throw new InvalidOperationException($"Workflow '{Name}' is already running; its sources allow one run at a time.");
        }

        var sourceIndex = initialIndex;
        var nodeIndex = initialIndex;
        long processed = 0;
        try
        {
            while (true)
            {
                TEvent @event;
                nodeIndex = sourceIndex;
                try
                {
                    var waiting = sources[sourceIndex]!.WaitForEventAsync(runToken);
                    @event = waiting.IsCompletedSuccessfully ? waiting.Result : await waiting.ConfigureAwait(false);
                }
                catch (EventSourceCompletedException)
                {
                    return new(EventWorkflowOutcome.SourceCompleted, ids[sourceIndex], processed);
                }

                Volatile.Write(ref eventSequence, eventSequence + 1);
                Volatile.Write(ref activeNode, nodeIndex);
                var failed = false;
                var timed = metrics.NodeDurationEnabled;
                var action = sourceActions[nodeIndex];
                for (var hops = 0; ; hops++)
                {
                    if (processors[nodeIndex] is { } processor)
                    {
                        ValueTask<TAction> processing;
                        try
                        {
                            processing = timed
                                ? ProcessTimedAsync(nodeIndex, @event, context, runToken)
                                : processor.ProcessEventAsync(@event, context, runToken);
                        }
                        catch (Exception exception)
                        {
                            processing = ValueTask.FromException<TAction>(exception);
                        }

                        if (processing.IsCompletedSuccessfully)
                        {
                            action = processing.Result;
                        }
                        else
                        {
                            (action, failed) = await FinishProcessingAsync(processing, nodeIndex, @event, runToken).ConfigureAwait(false);
                            if (failed)
                            {
                                break;
                            }
                        }
                    }

                    if (hasTermination && EqualityComparer<TAction>.Default.Equals(action, terminationAction))
                    {
                        metrics.EventProcessed();
                        return new(EventWorkflowOutcome.Terminated, ids[nodeIndex], processed + 1);
                    }

                    if (!routes.TryGetNext(nodeIndex, action, out var next))
                    {
                        var label = action.ToString() ?? string.Empty;
                        metrics.RoutingMiss(ids[nodeIndex], label);
                        await FailAsync(@event, nodeIndex, new EventRoutingException(ids[nodeIndex], label,
                            $"Node '{ids[nodeIndex]}' returned action '{label}' in workflow '{Name}', which has no route for it; add a route or return another action."),
                            runToken).ConfigureAwait(false);
                        break;
                    }

                    if (sources[next.NodeIndex] is not null)
                    {
                        sourceIndex = next.NodeIndex;
                        break;
                    }

                    if (hops == MaxHopsPerEvent)
                    {
                        await FailAsync(@event, nodeIndex, new EventRoutingException(ids[nodeIndex], next.ActionLabel,
                            $"An event passed through {MaxHopsPerEvent} processors in workflow '{Name}' without returning to a source; " +
                            $"the route '{ids[nodeIndex]}' --{next.ActionLabel}--> '{ids[next.NodeIndex]}' is part of a loop."),
                            runToken).ConfigureAwait(false);
                        break;
                    }

                    nodeIndex = next.NodeIndex;
                    Volatile.Write(ref activeNode, nodeIndex);
                }

                processed++;
                metrics.EventProcessed();
                Volatile.Write(ref activeNode, Idle);
            }
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            var outcome = callerToken.IsCancellationRequested ? EventWorkflowOutcome.Cancelled : EventWorkflowOutcome.TimedOut;
            return new(outcome, ids[nodeIndex], processed);
        }
        finally
        {
            Volatile.Write(ref activeNode, Idle);
            Volatile.Write(ref running, 0);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TAction> ProcessTimedAsync(int nodeIndex, TEvent @event, TContext context, CancellationToken runToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            return await processors[nodeIndex]!.ProcessEventAsync(@event, context, runToken).ConfigureAwait(false);
        }
        finally
        {
            metrics.NodeProcessed(ids[nodeIndex], timeProvider.GetElapsedTime(started));
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(TAction Action, bool Failed)> FinishProcessingAsync(
        ValueTask<TAction> processing, int nodeIndex, TEvent @event, CancellationToken runToken)
    {
        try
        {
            return (await processing.ConfigureAwait(false), false);
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            await FailAsync(@event, nodeIndex, new NodeExecutionException(ids[nodeIndex], exception), runToken).ConfigureAwait(false);
            return (default!, true);
        }
    }

    private ValueTask FailAsync(TEvent @event, int nodeIndex, Exception exception, CancellationToken runToken)
    {
        if (deadLetterHandler is null)
        {
            throw exception;
        }

        metrics.DeadLettered(ids[nodeIndex]);
        return deadLetterHandler(new DeadLetter<TEvent>(@event, ids[nodeIndex], exception, timeProvider.GetUtcNow()), runToken);
    }
}

/// <summary>The first moment a watcher saw the current event, kept on the watcher's side of the run.</summary>
internal sealed class ActivityObservation
{
    public long Sequence { get; set; } = -1;

    public long Since { get; set; }
}
