using Floxide.Core.Routing;

namespace Floxide.Core.Graph;

/// <summary>Turns compiled routes back into graph edges.</summary>
public static class GraphEdges
{
    /// <summary>Lists every route of <paramref name="routes"/> as an edge, node by node.</summary>
    /// <typeparam name="TAction">The workflow's action type.</typeparam>
    /// <param name="routes">The compiled routes.</param>
    /// <returns>The edges.</returns>
    public static GraphEdge[] From<TAction>(RouteTable<TAction> routes)
        where TAction : notnull
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.NodeIds
            .SelectMany((id, index) => routes.RoutesFrom(index)
                .Select(route => new GraphEdge(id, route.Value.ActionLabel, routes.NodeIds[route.Value.NodeIndex])))
            .ToArray();
    }
}
