namespace Floxide.Core;

/// <summary>A run executed more nodes than its step limit allows: the routes most likely form a loop.</summary>
public sealed class WorkflowStepLimitExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="workflowName">The workflow that ran too long.</param>
    /// <param name="nodeId">The node that would have run next.</param>
    /// <param name="stepLimit">The limit that was reached.</param>
    public WorkflowStepLimitExceededException(string workflowName, string nodeId, int stepLimit)
        : base($"Workflow '{workflowName}' reached its step limit of {stepLimit} before node '{nodeId}'; " +
               "check the routes for a loop, or raise the limit with WithStepLimit.")
    {
        WorkflowName = workflowName;
        NodeId = nodeId;
        StepLimit = stepLimit;
    }

    /// <summary>The workflow that ran too long.</summary>
    public string WorkflowName { get; }

    /// <summary>The node that would have run next.</summary>
    public string NodeId { get; }

    /// <summary>The limit that was reached.</summary>
    public int StepLimit { get; }
}
