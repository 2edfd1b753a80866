using System.Diagnostics.Metrics;
using Floxide.Core.Routing;

namespace Floxide.Events;

/// <summary>
/// Builds an <see cref="EventDrivenWorkflow{TEvent, TContext, TAction}"/> and validates its graph before it can
/// run (ADR-0020): unknown or duplicate ids, an initial node that is not a source, routes that are never taken or
/// shadowed by termination, processor cycles that never return to a source, and unreachable nodes. Every error
/// names the node and, where one is involved, the action.
/// </summary>
/// <typeparam name="TEvent">The events that flow through the workflow.</typeparam>
/// <typeparam name="TContext">The state shared by the nodes of a run.</typeparam>
/// <typeparam name="TAction">The type whose values name routes.</typeparam>
/// <param name="name">The workflow's name, used in errors, metrics and graphs.</param>
public sealed class EventDrivenWorkflowBuilder<TEvent, TContext, TAction>(string name)
    where TAction : notnull
{
    /// <summary>The hop limit used unless <see cref="WithMaxHopsPerEvent"/> sets another.</summary>
    public const int DefaultMaxHopsPerEvent = 64;

    private readonly EventDrivenWorkflowDefinition<TEvent, TContext, TAction> definition = new(name);
    private readonly List<Route<TAction>> routes = [];

    /// <summary>Adds a plain source whose every event is routed by <paramref name="emits"/>.</summary>
    /// <param name="source">The source.</param>
    /// <param name="emits">The action that routes each of its events, typically to the first processor.</param>
    /// <returns>This builder.</returns>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> AddSource(IEventSource<TEvent> source, TAction emits)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Add(new(source.Id, source, null, emits));
    }

    /// <summary>Adds an event-driven node: a source that processes its own events to choose their first route.</summary>
    /// <param name="node">The node.</param>
    /// <returns>This builder.</returns>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> AddNode(IEventDrivenNode<TEvent, TContext, TAction> node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Add(new(node.Id, node, node, default!));
    }

    /// <summary>Adds a processor: a node that handles events routed to it and cannot wait for events.</summary>
    /// <param name="processor">The processor.</param>
    /// <returns>This builder.</returns>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> AddProcessor(IEventProcessor<TEvent, TContext, TAction> processor)
    {
        ArgumentNullException.ThrowIfNull(processor);
        return Add(new(processor.Id, null, processor, default!));
    }

    /// <summary>Routes events for which <paramref name="fromNodeId"/> returns <paramref name="action"/> to <paramref name="toNodeId"/>.</summary>
    /// <param name="fromNodeId">The node that returns the action.</param>
    /// <param name="action">The action.</param>
    /// <param name="toNodeId">A processor (process the event next) or a source (done with the event; wait there for the next).</param>
    /// <returns>This builder.</returns>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> Route(string fromNodeId, TAction action, string toNodeId)
    {
        routes.Add(new(fromNodeId, action, toNodeId));
        return this;
    }

    /// <summary>Makes <paramref name="sourceId"/> the source a run first waits on; the first node added is the default.</summary>
    /// <param name="sourceId">A source's id.</param>
    /// <returns>This builder.</returns>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> StartWith(string sourceId)
    {
        definition.InitialNodeId = sourceId;
        return this;
    }

    /// <summary>Makes <paramref name="action"/> end the run wherever a node returns it.</summary>
    /// <param name="action">The termination action, e.g. <c>EventActions.Terminate&lt;TAction&gt;()</c>.</param>
    /// <returns>This builder.</returns>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> TerminateOn(TAction action)
    {
        definition.HasTermination = true;
        definition.TerminationAction = action;
        return this;
    }

    /// <summary>Fails the run when a node throws or an action has no route: ADR-0009's behaviour, and the default.</summary>
    /// <returns>This builder.</returns>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> FailRunOnError()
    {
        definition.ErrorPolicy = EventErrorPolicy.FailRun;
        definition.DeadLetterHandler = null;
        return this;
    }

    /// <summary>Hands each failed event to <paramref name="handler"/> and carries on with the next event.</summary>
    /// <param name="handler">Receives the event, the node and the error; if it throws, the run fails.</param>
    /// <returns>This builder.</returns>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> DeadLetterOnError(DeadLetterHandler<TEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        definition.ErrorPolicy = EventErrorPolicy.DeadLetter;
        definition.DeadLetterHandler = handler;
        return this;
    }

    /// <summary>Sets how many processors one event may pass through before it counts as a routing failure.</summary>
    /// <param name="limit">1 or more. The default is <see cref="DefaultMaxHopsPerEvent"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> WithMaxHopsPerEvent(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        definition.MaxHopsPerEvent = limit;
        return this;
    }

    /// <summary>Sets the clock for timeouts, activity and timestamps.</summary>
    /// <param name="timeProvider">The clock. The default is <see cref="TimeProvider.System"/>.</param>
    /// <returns>This builder.</returns>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> WithTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        definition.TimeProvider = timeProvider;
        return this;
    }

    /// <summary>Sets the meter the workflow's instruments are created on, typically one from the host's <see cref="IMeterFactory"/>.</summary>
    /// <param name="meter">The meter. The default is the engine's own <see cref="EventTelemetry.DefaultMeterName"/> meter.</param>
    /// <returns>This builder.</returns>
    public EventDrivenWorkflowBuilder<TEvent, TContext, TAction> WithMeter(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        definition.Meter = meter;
        return this;
    }

    /// <summary>Validates the graph and builds the workflow.</summary>
    /// <returns>The workflow.</returns>
    /// <exception cref="WorkflowValidationException">The graph has problems; every one is listed.</exception>
    public EventDrivenWorkflow<TEvent, TContext, TAction> Build()
    {
        var ids = definition.Nodes.ConvertAll(node => node.Id);
        var errors = GraphValidator.FindProblems(ids, routes, definition.InitialNodeId);
        if (errors.Count == 0)
        {
            errors.AddRange(new EventGraphRules<TEvent, TContext, TAction>(definition, routes).FindProblems());
        }

        if (errors.Count > 0)
        {
            throw new WorkflowValidationException(definition.Name, errors);
        }

        return new EventDrivenWorkflow<TEvent, TContext, TAction>(definition, new RouteTable<TAction>(ids, routes));
    }

    private EventDrivenWorkflowBuilder<TEvent, TContext, TAction> Add(EventNodeRegistration<TEvent, TContext, TAction> node)
    {
        definition.Nodes.Add(node);
        definition.InitialNodeId ??= node.Id;
        return this;
    }
}
