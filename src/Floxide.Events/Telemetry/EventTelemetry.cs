using System.Diagnostics.Metrics;

namespace Floxide.Events;

/// <summary>Names of the engine's meter, instruments and tags.</summary>
public static class EventTelemetry
{
    /// <summary>The meter used when a workflow or source is given none; hosts pass their own meter instead.</summary>
    public const string DefaultMeterName = "Floxide.Events";

    /// <summary>Counter of events taken from a source and routed to the end: <c>{event}</c>.</summary>
    public const string EventsProcessed = "floxide.events.processed";

    /// <summary>Histogram of the time a node spends processing one event: seconds.</summary>
    public const string NodeDuration = "floxide.node.duration";

    /// <summary>Counter of actions that had no route: <c>{event}</c>.</summary>
    public const string RoutingMisses = "floxide.routing.misses";

    /// <summary>Counter of events handed to the dead-letter handler: <c>{event}</c>.</summary>
    public const string EventsDeadLettered = "floxide.events.dead_lettered";

    /// <summary>Counter of events a full channel dropped: <c>{event}</c>.</summary>
    public const string EventsDropped = "floxide.events.dropped";

    internal static readonly Meter DefaultMeter = new(DefaultMeterName);

    /// <summary>Tag names.</summary>
    public static class Tags
    {
        /// <summary>The workflow's name.</summary>
        public const string WorkflowName = "workflow.name";

        /// <summary>A node's id.</summary>
        public const string NodeId = "node.id";

        /// <summary>An action, as text.</summary>
        public const string Action = "action";

        /// <summary>A source's id.</summary>
        public const string SourceId = "source.id";
    }
}
