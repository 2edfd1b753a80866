namespace Floxide.Core.Routing;

/// <summary>A workflow graph failed validation; <see cref="Errors"/> lists every problem found.</summary>
public sealed class WorkflowValidationException : Exception
{
    /// <summary>Creates the exception for <paramref name="errors"/> found in <paramref name="workflowName"/>.</summary>
    /// <param name="workflowName">The workflow being built.</param>
    /// <param name="errors">Every problem found; at least one.</param>
    public WorkflowValidationException(string workflowName, IReadOnlyList<WorkflowValidationError> errors)
        : base(FormatMessage(workflowName, errors))
    {
        WorkflowName = workflowName;
        Errors = errors;
    }

    /// <summary>The workflow being built.</summary>
    public string WorkflowName { get; }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<WorkflowValidationError> Errors { get; }

    private static string FormatMessage(string workflowName, IReadOnlyList<WorkflowValidationError> errors) =>
        $"Workflow '{workflowName}' is invalid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):" +
        string.Concat(errors.Select(error => Environment.NewLine + "  - " + error.Message));
}
