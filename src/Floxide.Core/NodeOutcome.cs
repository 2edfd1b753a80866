namespace Floxide.Core;

/// <summary>What a node decided: route on with an action, or end the run.</summary>
/// <typeparam name="TAction">The workflow's action type.</typeparam>
public readonly record struct NodeOutcome<TAction>
{
    internal NodeOutcome(TAction action, bool isTerminal)
    {
        Action = action;
        IsTerminal = isTerminal;
    }

    /// <summary>The action the node returned.</summary>
    public TAction Action { get; }

    /// <summary><see langword="true"/> when the node ended the run, whatever routes exist for <see cref="Action"/>.</summary>
    public bool IsTerminal { get; }
}

/// <summary>Creates <see cref="NodeOutcome{TAction}"/> values.</summary>
public static class NodeOutcome
{
    /// <summary>Continue along the route that <paramref name="action"/> names; the run ends if there is none.</summary>
    /// <typeparam name="TAction">The workflow's action type.</typeparam>
    /// <param name="action">The action that picks the next node.</param>
    /// <returns>A routed outcome.</returns>
    public static NodeOutcome<TAction> Route<TAction>(TAction action) => new(action, isTerminal: false);

    /// <summary>End the run with <paramref name="action"/> as its final action.</summary>
    /// <typeparam name="TAction">The workflow's action type.</typeparam>
    /// <param name="action">The final action, reported in the result.</param>
    /// <returns>A terminal outcome.</returns>
    public static NodeOutcome<TAction> Complete<TAction>(TAction action) => new(action, isTerminal: true);
}
