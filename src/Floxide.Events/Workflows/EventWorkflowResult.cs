namespace Floxide.Events;

/// <summary>How an event-driven workflow run ended.</summary>
public enum EventWorkflowOutcome
{
    /// <summary>A node returned the termination action.</summary>
    Terminated,

    /// <summary>The run's timeout elapsed.</summary>
    TimedOut,

    /// <summary>The source the run waited on completed: it has no more events.</summary>
    SourceCompleted,

    /// <summary>The caller's cancellation token was cancelled.</summary>
    Cancelled,
}

/// <summary>The result of an event-driven workflow run.</summary>
/// <param name="Outcome">How the run ended.</param>
/// <param name="NodeId">The node that returned the termination action, the source that completed, or the node the run was at when it timed out or was cancelled.</param>
/// <param name="EventsProcessed">Events taken from a source and finished with: routed back to a source, to termination, or to the dead-letter handler.</param>
public readonly record struct EventWorkflowResult(EventWorkflowOutcome Outcome, string NodeId, long EventsProcessed);
