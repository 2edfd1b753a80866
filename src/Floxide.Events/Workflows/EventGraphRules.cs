using Floxide.Core.Routing;

namespace Floxide.Events;

/// <summary>The checks only an event-driven graph needs, run once the structural checks of <see cref="GraphValidator"/> pass.</summary>
internal sealed class EventGraphRules<TEvent, TContext, TAction>(
    EventDrivenWorkflowDefinition<TEvent, TContext, TAction> definition, IReadOnlyList<Route<TAction>> routes)
    where TAction : notnull
{
    private readonly Dictionary<string, EventNodeRegistration<TEvent, TContext, TAction>> nodes =
        definition.Nodes.ToDictionary(node => node.Id, StringComparer.Ordinal);

    private readonly ILookup<string, Route<TAction>> routesFrom = routes.ToLookup(route => route.From, StringComparer.Ordinal);

    public IEnumerable<WorkflowValidationError> FindProblems()
    {
        var initial = nodes[definition.InitialNodeId!];
        if (initial.Source is null)
        {
            yield return new(WorkflowValidationErrorKind.InitialNodeNotSource, initial.Id, null,
                $"The initial node '{initial.Id}' is a processor and cannot wait for events; start with a source.");
        }

        foreach (var error in RouteProblems().Concat(CycleProblems()))
        {
            yield return error;
        }
    }

    private IEnumerable<WorkflowValidationError> RouteProblems()
    {
        var comparer = EqualityComparer<TAction>.Default;
        foreach (var route in routes)
        {
            var action = route.Action.ToString();
            var from = nodes[route.From];
            if (definition.HasTermination && comparer.Equals(route.Action, definition.TerminationAction))
            {
                yield return new(WorkflowValidationErrorKind.RouteShadowedByTermination, route.From, action,
                    $"Route '{route.From}' --{action}--> '{route.To}' is never taken: '{action}' is the termination action and ends the run.");
            }
            else if (from.IsPlainSource && !comparer.Equals(route.Action, from.SourceAction))
            {
                yield return new(WorkflowValidationErrorKind.UnusedRoute, route.From, action,
                    $"Route '{route.From}' --{action}--> '{route.To}' is never taken: source '{route.From}' routes every event with '{from.SourceAction}'.");
            }
        }

        foreach (var source in definition.Nodes.Where(node => node.IsPlainSource))
        {
            var emits = source.SourceAction;
            var terminates = definition.HasTermination && comparer.Equals(emits, definition.TerminationAction);
            if (!terminates && !routesFrom[source.Id].Any(route => comparer.Equals(route.Action, emits)))
            {
                yield return new(WorkflowValidationErrorKind.MissingRoute, source.Id, emits.ToString(),
                    $"Source '{source.Id}' routes its events with '{emits}', but no route leaves it on '{emits}'; add one.");
            }
        }
    }

    private IEnumerable<WorkflowValidationError> CycleProblems()
    {
        var returning = NodesThatReachASource();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var processor in definition.Nodes.Where(node => node.Source is null && !returning.Contains(node.Id)))
        {
            if (reported.Contains(processor.Id) || FindCycle(processor.Id) is not { } cycle)
            {
                continue;
            }

            reported.UnionWith(cycle.Select(route => route.From));
            var closing = cycle[^1];
            var path = string.Join(" ", cycle.Select(route => $"'{route.From}' --{route.Action}-->")) + $" '{closing.To}'";
            yield return new(WorkflowValidationErrorKind.ProcessorCycle, processor.Id, closing.Action.ToString(),
                $"Processors route events around a cycle that never returns to a source: {path}; route one of them back to a source.");
        }
    }

    private HashSet<string> NodesThatReachASource()
    {
        var predecessors = routes.ToLookup(route => route.To, route => route.From, StringComparer.Ordinal);
        var reaching = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(definition.Nodes.Where(node => node.Source is not null).Select(node => node.Id));
        while (pending.TryPop(out var id))
        {
            foreach (var predecessor in predecessors[id])
            {
                if (reaching.Add(predecessor))
                {
                    pending.Push(predecessor);
                }
            }
        }

        return reaching;
    }

    private List<Route<TAction>>? FindCycle(string start)
    {
        // Depth-first over processor-to-processor routes, keeping the path so the error can show the loop.
        var path = new List<Route<TAction>>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        return Walk(start) ? path : null;

        bool Walk(string id)
        {
            if (!visited.Add(id))
            {
                return false;
            }

            foreach (var route in routesFrom[id].Where(route => nodes[route.To].Source is null))
            {
                path.Add(route);
                if (string.Equals(route.To, start, StringComparison.Ordinal) || Walk(route.To))
                {
                    return true;
                }

                path.RemoveAt(path.Count - 1);
            }

            return false;
        }
    }
}
