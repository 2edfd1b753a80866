namespace Floxide.Events;

/// <summary>An event could not be routed: an action had no route, or the event hopped between processors past the limit.</summary>
public sealed class EventRoutingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="nodeId">The node whose action could not be followed.</param>
    /// <param name="action">The action, as text.</param>
    /// <param name="message">What went wrong and what to do.</param>
    public EventRoutingException(string nodeId, string action, string message)
        : base(message)
    {
        NodeId = nodeId;
        Action = action;
    }

    /// <summary>The node whose action could not be followed.</summary>
    public string NodeId { get; }

    /// <summary>The action, as text.</summary>
    public string Action { get; }
}
