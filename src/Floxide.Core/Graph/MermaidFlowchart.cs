using System.Globalization;
using System.Text;

namespace Floxide.Core.Graph;

/// <summary>Writes a <see cref="WorkflowGraph"/> as a Mermaid flowchart, which GitHub and most Markdown viewers draw.</summary>
public static class MermaidFlowchart
{
    /// <summary>Renders <paramref name="graph"/> as Mermaid flowchart text.</summary>
    /// <param name="graph">The graph to draw.</param>
    /// <param name="direction">The Mermaid direction: <c>LR</c> (the default) or <c>TD</c>.</param>
    /// <returns>The flowchart, one statement per line.</returns>
    public static string Render(WorkflowGraph graph, string direction = "LR")
    {
        ArgumentNullException.ThrowIfNull(graph);

        // Node ids may hold characters Mermaid treats as syntax, so shapes get generated keys and the ids become labels.
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = new StringBuilder();
        text.Append("flowchart ").AppendLine(direction);
        text.Append("    %% ").AppendLine(Escape(graph.Name));
        foreach (var node in graph.Nodes)
        {
            var key = "n" + keys.Count.ToString(CultureInfo.InvariantCulture);
            keys[node.Id] = key;
            var (open, close) = node.Role switch
            {
                GraphNodeRole.Source => ("([\"", "\"])"),
                GraphNodeRole.Processor => ("[\"", "\"]"),
                _ => ("(\"", "\")"),
            };
            text.Append("    ").Append(key).Append(open).Append(Escape(node.Id)).AppendLine(close);
        }

        text.AppendLine("    start((start))");
        if (keys.TryGetValue(graph.InitialNodeId, out var initial))
        {
            text.Append("    start --> ").AppendLine(initial);
        }

        foreach (var edge in graph.Edges)
        {
            text.Append("    ").Append(keys[edge.From])
                .Append(" -->|\"").Append(Escape(edge.Action)).Append("\"| ")
                .AppendLine(keys[edge.To]);
        }

        if (graph.TerminationAction is { } termination)
        {
            text.Append("    terminate(((\"").Append(Escape(termination)).AppendLine("\")))");
        }

        return text.ToString();
    }

    private static string Escape(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);
}
