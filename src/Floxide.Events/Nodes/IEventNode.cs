namespace Floxide.Events;

/// <summary>What every node of an event-driven workflow has: an id, unique within its workflow.</summary>
public interface IEventNode
{
    /// <summary>The node's id.</summary>
    string Id { get; }
}
