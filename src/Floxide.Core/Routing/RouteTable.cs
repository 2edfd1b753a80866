using System.Collections.Frozen;

namespace Floxide.Core.Routing;

/// <summary>
/// The compiled routes of a validated workflow graph: node ids become indexes, and each node's routes a short
/// array scanned by action, so following a route compares a few actions and touches no string.
/// </summary>
/// <typeparam name="TAction">The workflow's action type.</typeparam>
/// <remarks>Immutable once built, and therefore safe to share between threads.</remarks>
public sealed class RouteTable<TAction>
    where TAction : notnull
{
    private readonly FrozenDictionary<string, int> indexById;
    private readonly (TAction Action, RouteTarget Target)[][] targets;

    /// <summary>Compiles <paramref name="routes"/> between <paramref name="nodeIds"/>.</summary>
    /// <param name="nodeIds">The graph's node ids; a node's index in this list is its index in the table.</param>
    /// <param name="routes">The graph's routes; each must join two ids of <paramref name="nodeIds"/>.</param>
    /// <exception cref="ArgumentException">A route names an unknown node, or two routes leave one node on the same action.</exception>
    public RouteTable(IReadOnlyList<string> nodeIds, IEnumerable<Route<TAction>> routes)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        ArgumentNullException.ThrowIfNull(routes);

        NodeIds = nodeIds;
        indexById = nodeIds.Select((id, index) => KeyValuePair.Create(id, index)).ToFrozenDictionary(StringComparer.Ordinal);
        var byNode = new Dictionary<TAction, RouteTarget>[nodeIds.Count];
        for (var i = 0; i < byNode.Length; i++)
        {
            byNode[i] = [];
        }

        foreach (var route in routes)
        {
            var from = IndexOf(route.From);
            var to = IndexOf(route.To);
            if (from < 0 || to < 0)
            {
                throw new ArgumentException($"Route '{route.From}' --{route.Action}--> '{route.To}' names an unknown node.", nameof(routes));
            }

            if (!byNode[from].TryAdd(route.Action, new RouteTarget(to, route.Action.ToString() ?? string.Empty)))
            {
                throw new ArgumentException($"Node '{route.From}' has two routes for action '{route.Action}'.", nameof(routes));
            }
        }

        // A node has a handful of routes: a linear scan beats hashing the action.
        targets = Array.ConvertAll(byNode, map => map.Select(pair => (pair.Key, pair.Value)).ToArray());
    }

    /// <summary>The node ids, in index order.</summary>
    public IReadOnlyList<string> NodeIds { get; }

    /// <summary>Returns the index of <paramref name="nodeId"/>, or -1 when the table has no such node.</summary>
    /// <param name="nodeId">A node id.</param>
    /// <returns>The node's index, or -1.</returns>
    public int IndexOf(string nodeId) => indexById.TryGetValue(nodeId, out var index) ? index : -1;

    /// <summary>Follows the route that leaves node <paramref name="from"/> on <paramref name="action"/>.</summary>
    /// <param name="from">The index of the node the action came from.</param>
    /// <param name="action">The action the node returned.</param>
    /// <param name="target">The route's target when there is one.</param>
    /// <returns><see langword="true"/> when a route exists.</returns>
    public bool TryGetNext(int from, TAction action, out RouteTarget target)
    {
        foreach (var route in targets[from])
        {
            if (EqualityComparer<TAction>.Default.Equals(route.Action, action))
            {
                target = route.Target;
                return true;
            }
        }

        target = default;
        return false;
    }

    /// <summary>The routes that leave node <paramref name="from"/>, as (action, target) pairs.</summary>
    /// <param name="from">A node index.</param>
    /// <returns>The node's outgoing routes.</returns>
    public IEnumerable<KeyValuePair<TAction, RouteTarget>> RoutesFrom(int from) =>
        targets[from].Select(route => KeyValuePair.Create(route.Action, route.Target));
}

/// <summary>Where a route leads.</summary>
/// <param name="NodeIndex">The index of the target node in its <see cref="RouteTable{TAction}"/>.</param>
/// <param name="ActionLabel">The route's action as text, computed once so that metrics need not format it per event.</param>
public readonly record struct RouteTarget(int NodeIndex, string ActionLabel);
