using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Gateway.Workflow;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Health;

/// <summary>
/// Fails when the workflow loop is stuck: an event has been at a node longer than the processing budget
/// (<c>Floxide:Host:ProcessingBudget</c>), or the loop ended with an error.
/// </summary>
/// <param name="workflow">The running workflow.</param>
/// <param name="options">Supplies the processing budget; a reloaded budget applies at the next check.</param>
public sealed class WorkflowLoopHealthCheck(IGatewayWorkflow workflow, IOptionsMonitor<GatewayHostOptions> options) : IHealthCheck
{
    /// <inheritdoc/>
    public string Name => $"workflow {workflow.Name}";

    /// <inheritdoc/>
    public string? Check()
    {
        switch (workflow.State)
        {
            case GatewayWorkflowState.Faulted:
                return $"the loop stopped: {workflow.FaultReason}";
            case GatewayWorkflowState.Running:
            case GatewayWorkflowState.Draining:
                var activity = workflow.GetActivity();
                var budget = options.CurrentValue.ProcessingBudget;
                return !activity.IsIdle && activity.BusyFor > budget
                    ? $"an event has been at node '{activity.NodeId}' for {activity.BusyFor.TotalSeconds:0.#} s, past the processing budget of {budget.TotalSeconds:0.#} s"
                    : null;
            default:
                return null;
        }
    }
}
