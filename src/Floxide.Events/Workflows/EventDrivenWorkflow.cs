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
    private int activeNode = Idle;
    private long eventStartedAt;

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

    /// <summary>What the current run is doing: idle between events, or which node an event has been at and for how long.</summary>
    /// <returns>The current activity.</returns>
    public EventWorkflowActivity GetActivity()
    {
        var node = Volatile.Read(ref activeNode);
        return node == Idle
            ? default
            : new EventWorkflowActivity(ids[node], timeProvider.GetElapsedTime(Volatile.Read(ref eventStartedAt)));
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
                    @event = await sources[sourceIndex]!.WaitForEventAsync(runToken).ConfigureAwait(false);
                }
                catch (EventSourceCompletedException)
                {
                    return new(EventWorkflowOutcome.SourceCompleted, ids[sourceIndex], processed);
                }

                Volatile.Write(ref eventStartedAt, timeProvider.GetTimestamp());
                Volatile.Write(ref activeNode, nodeIndex);
                var failed = false;
                TAction action = sourceActions[nodeIndex];
                if (processors[nodeIndex] is not null)
                {
                    (action, failed) = await ProcessAsync(nodeIndex, @event, context, runToken).ConfigureAwait(false);
                }

                for (var hops = 0; !failed; hops++)
                {
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
                    (action, failed) = await ProcessAsync(nodeIndex, @event, context, runToken).ConfigureAwait(false);
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
    private async ValueTask<(TAction Action, bool Failed)> ProcessAsync(int nodeIndex, TEvent @event, TContext context, CancellationToken runToken)
    {
        var timed = metrics.NodeDurationEnabled;
        var started = timed ? timeProvider.GetTimestamp() : 0;
        try
        {
            return (await processors[nodeIndex]!.ProcessEventAsync(@event, context, runToken).ConfigureAwait(false), false);
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
        finally
        {
            if (timed)
            {
                metrics.NodeProcessed(ids[nodeIndex], timeProvider.GetElapsedTime(started));
            }
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
