using System.Diagnostics.Metrics;

namespace Floxide.Events;

/// <summary>A node as registered with a builder: its roles, and for a plain source the action that routes its events.</summary>
internal sealed record EventNodeRegistration<TEvent, TContext, TAction>(
    string Id, IEventSource<TEvent>? Source, IEventProcessor<TEvent, TContext, TAction>? Processor, TAction SourceAction)
{
    public bool IsPlainSource => Source is not null && Processor is null;
}

/// <summary>What a builder has gathered, handed to the workflow once validated.</summary>
internal sealed class EventDrivenWorkflowDefinition<TEvent, TContext, TAction>(string name)
    where TAction : notnull
{
    public string Name { get; } = name;

    public List<EventNodeRegistration<TEvent, TContext, TAction>> Nodes { get; } = [];

    public string? InitialNodeId { get; set; }

    public bool HasTermination { get; set; }

    public TAction TerminationAction { get; set; } = default!;

    public EventErrorPolicy ErrorPolicy { get; set; } = EventErrorPolicy.FailRun;

    public DeadLetterHandler<TEvent>? DeadLetterHandler { get; set; }

    public int MaxHopsPerEvent { get; set; } = EventDrivenWorkflowBuilder<TEvent, TContext, TAction>.DefaultMaxHopsPerEvent;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public Meter? Meter { get; set; }
}
