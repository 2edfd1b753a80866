namespace Floxide.Core.Routing;

/// <summary>
/// The checks every workflow graph must pass, standard or event-driven: an initial node that exists, unique ids,
/// routes between known nodes, one route per (node, action), and every node reachable from the initial node.
/// </summary>
public static class GraphValidator
{
    /// <summary>Finds every structural problem in a graph.</summary>
    /// <typeparam name="TAction">The workflow's action type.</typeparam>
    /// <param name="nodeIds">The ids of the nodes, in the order they were added.</param>
    /// <param name="routes">The routes between them.</param>
    /// <param name="initialNodeId">The node a run starts at, or <see langword="null"/> when none was chosen.</param>
    /// <returns>The problems found; empty when the graph is sound.</returns>
    public static List<WorkflowValidationError> FindProblems<TAction>(
        IReadOnlyList<string> nodeIds, IReadOnlyList<Route<TAction>> routes, string? initialNodeId)
        where TAction : notnull
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        ArgumentNullException.ThrowIfNull(routes);

        var errors = new List<WorkflowValidationError>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in nodeIds)
        {
            if (!known.Add(id))
            {
                errors.Add(new(WorkflowValidationErrorKind.DuplicateNodeId, id, null,
                    $"Node id '{id}' is used by more than one node; give each node its own id."));
            }
        }

        if (initialNodeId is null)
        {
            errors.Add(new(WorkflowValidationErrorKind.MissingInitialNode, string.Empty, null,
                "The workflow has no nodes; add at least one and choose where a run starts."));
        }
        else if (!known.Contains(initialNodeId))
        {
            errors.Add(new(WorkflowValidationErrorKind.UnknownNode, initialNodeId, null,
                $"The initial node '{initialNodeId}' is not a node of the workflow; add it or start elsewhere."));
        }

        var seen = new HashSet<(string, TAction)>();
        foreach (var route in routes)
        {
            var action = route.Action.ToString();
            if (!known.Contains(route.From))
            {
                errors.Add(new(WorkflowValidationErrorKind.UnknownNode, route.From, action,
                    $"Route '{route.From}' --{action}--> '{route.To}' leaves node '{route.From}', which is not a node of the workflow."));
            }

            if (!known.Contains(route.To))
            {
                errors.Add(new(WorkflowValidationErrorKind.UnknownNode, route.To, action,
                    $"Route '{route.From}' --{action}--> '{route.To}' enters node '{route.To}', which is not a node of the workflow."));
            }

            if (!seen.Add((route.From, route.Action)))
            {
                errors.Add(new(WorkflowValidationErrorKind.DuplicateRoute, route.From, action,
                    $"Node '{route.From}' has more than one route for action '{action}'; keep one."));
            }
        }

        if (initialNodeId is not null && known.Contains(initialNodeId))
        {
            var reachable = Reachable(initialNodeId, routes);
            foreach (var id in nodeIds.Distinct(StringComparer.Ordinal).Where(id => !reachable.Contains(id)))
            {
                errors.Add(new(WorkflowValidationErrorKind.UnreachableNode, id, null,
                    $"Node '{id}' is unreachable: no route from '{initialNodeId}' leads to it; route to it or remove it."));
            }
        }

        return errors;
    }

    private static HashSet<string> Reachable<TAction>(string initialNodeId, IReadOnlyList<Route<TAction>> routes)
    {
        var successors = routes.ToLookup(route => route.From, route => route.To, StringComparer.Ordinal);
        var reachable = new HashSet<string>(StringComparer.Ordinal) { initialNodeId };
        var pending = new Stack<string>();
        pending.Push(initialNodeId);
        while (pending.TryPop(out var id))
        {
            foreach (var next in successors[id])
            {
                if (reachable.Add(next))
                {
                    pending.Push(next);
                }
            }
        }

        return reachable;
    }
}
