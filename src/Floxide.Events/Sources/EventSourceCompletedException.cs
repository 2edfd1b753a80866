namespace Floxide.Events;

/// <summary>
/// Thrown by <see cref="IEventSource{TEvent}.WaitForEventAsync"/> when the source has no more events: its writer
/// completed, its timer stopped. A workflow ends such a run normally, with
/// <see cref="EventWorkflowOutcome.SourceCompleted"/>.
/// </summary>
public sealed class EventSourceCompletedException : Exception
{
    /// <summary>Creates the exception for the source <paramref name="sourceId"/>.</summary>
    /// <param name="sourceId">The source that completed.</param>
    public EventSourceCompletedException(string sourceId)
        : base($"Event source '{sourceId}' has completed and yields no more events.")
    {
        SourceId = sourceId;
    }

    /// <summary>The source that completed.</summary>
    public string SourceId { get; }
}
