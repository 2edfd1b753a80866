using Floxide.Core.Graph;
using Floxide.Events;

namespace Floxide.Edge.Gateway.Workflow;

/// <summary>
/// The gateway's running workflow as the host sees it: its graph for <c>floxide-edge graph</c>, what it is doing for the
/// watchdog, and whether its loop is still alive. One is registered by the workflow's composition point.
/// </summary>
/// <remarks>Members may be called from any thread.</remarks>
public interface IGatewayWorkflow
{
    /// <summary>The workflow's name.</summary>
    string Name { get; }

    /// <summary>The loop's state.</summary>
    GatewayWorkflowState State { get; }

    /// <summary>Why the loop stopped, when <see cref="State"/> is <see cref="GatewayWorkflowState.Faulted"/>.</summary>
    string? FaultReason { get; }

    /// <summary>Describes the workflow's nodes and routes.</summary>
    /// <returns>The graph.</returns>
    WorkflowGraph ToGraph();

    /// <summary>What the loop is doing: idle, or which node the current event is at and for how long.</summary>
    /// <returns>The activity; poll it about once a second, since an event's age is measured from the first poll that saw it.</returns>
    EventWorkflowActivity GetActivity();
}

/// <summary>The state of the workflow loop.</summary>
public enum GatewayWorkflowState
{
    /// <summary>Not started yet.</summary>
    NotStarted,

    /// <summary>Taking and processing events.</summary>
    Running,

    /// <summary>Input stopped; finishing the events already queued.</summary>
    Draining,

    /// <summary>Ended on purpose (shutdown).</summary>
    Stopped,

    /// <summary>Ended by an error; the gateway cannot do its job.</summary>
    Faulted,
}
