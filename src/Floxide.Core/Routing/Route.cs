namespace Floxide.Core.Routing;

/// <summary>An edge of a workflow graph: when node <paramref name="From"/> returns <paramref name="Action"/>, go to <paramref name="To"/>.</summary>
/// <param name="From">The id of the node the route leaves.</param>
/// <param name="Action">The action that selects this route.</param>
/// <param name="To">The id of the node the route enters.</param>
/// <typeparam name="TAction">The workflow's action type.</typeparam>
public readonly record struct Route<TAction>(string From, TAction Action, string To);
