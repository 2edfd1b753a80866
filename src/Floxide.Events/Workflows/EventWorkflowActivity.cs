namespace Floxide.Events;

/// <summary>What a running workflow is doing right now: waiting for an event, or busy with one at a node.</summary>
/// <param name="NodeId">The node processing the current event, or <see langword="null"/> while the run waits for one.</param>
/// <param name="BusyFor">How long the current event has been in the workflow; zero while waiting.</param>
/// <remarks>A watchdog compares <see cref="BusyFor"/> with a processing budget to tell a busy loop from a hung one.</remarks>
public readonly record struct EventWorkflowActivity(string? NodeId, TimeSpan BusyFor)
{
    /// <summary><see langword="true"/> while the run waits for an event (or is not running).</summary>
    public bool IsIdle => NodeId is null;
}
