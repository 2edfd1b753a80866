namespace Floxide.Events;

/// <summary>
/// ADR-0009's <c>EventActionExt</c>: an action type that names its own conventional termination and timeout
/// actions, so builders and adapters can default to them.
/// </summary>
/// <typeparam name="TSelf">The action type itself.</typeparam>
/// <remarks>
/// Enums cannot implement interfaces; a workflow over an enum passes its actions explicitly
/// (<see cref="EventDrivenWorkflowBuilder{TEvent, TContext, TAction}.TerminateOn"/>).
/// </remarks>
public interface IEventAction<TSelf>
    where TSelf : IEventAction<TSelf>
{
    /// <summary>The action that ends a run wherever a node returns it.</summary>
    static abstract TSelf Terminate { get; }

    /// <summary>The action an adapter returns when its wait or its run timed out.</summary>
    static abstract TSelf Timeout { get; }
}

/// <summary>Reads the conventional actions of an <see cref="IEventAction{TSelf}"/> type.</summary>
public static class EventActions
{
    /// <summary>The termination action of <typeparamref name="TAction"/>.</summary>
    /// <typeparam name="TAction">An action type.</typeparam>
    /// <returns><c>TAction.Terminate</c>.</returns>
    public static TAction Terminate<TAction>()
        where TAction : IEventAction<TAction> => TAction.Terminate;

    /// <summary>The timeout action of <typeparamref name="TAction"/>.</summary>
    /// <typeparam name="TAction">An action type.</typeparam>
    /// <returns><c>TAction.Timeout</c>.</returns>
    public static TAction Timeout<TAction>()
        where TAction : IEventAction<TAction> => TAction.Timeout;
}
