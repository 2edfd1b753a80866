namespace Floxide.Core;

/// <summary>A node threw while it ran; <see cref="NodeId"/> says which, <see cref="Exception.InnerException"/> says why.</summary>
public sealed class NodeExecutionException : Exception
{
    /// <summary>Creates the exception for a failure of <paramref name="nodeId"/>.</summary>
    /// <param name="nodeId">The id of the node that failed.</param>
    /// <param name="innerException">What the node threw.</param>
    public NodeExecutionException(string nodeId, Exception innerException)
        : base($"Node '{nodeId}' failed: {innerException.Message}", innerException)
    {
        NodeId = nodeId;
    }

    /// <summary>The id of the node that failed.</summary>
    public string NodeId { get; }
}
