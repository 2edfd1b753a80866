namespace Floxide.Core;

/// <summary>How a standard workflow run ended.</summary>
public enum WorkflowCompletion
{
    /// <summary>A node returned a terminal outcome.</summary>
    Terminated,

    /// <summary>A node returned an action that has no route.</summary>
    NoRoute,
}

/// <summary>The result of a standard workflow run.</summary>
/// <param name="Completion">How the run ended.</param>
/// <param name="LastNodeId">The node that ran last.</param>
/// <param name="LastAction">The action that node returned.</param>
/// <param name="Steps">The number of nodes executed.</param>
/// <typeparam name="TAction">The workflow's action type.</typeparam>
public readonly record struct WorkflowResult<TAction>(
    WorkflowCompletion Completion, string LastNodeId, TAction LastAction, int Steps);
