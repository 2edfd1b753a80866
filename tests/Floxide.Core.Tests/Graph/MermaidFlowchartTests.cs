using Floxide.Core.Graph;

namespace Floxide.Core.Tests.Graph;

public sealed class MermaidFlowchartTests
{
    [Fact]
    public void Render_StandardWorkflow_DrawsEveryNodeRouteAndTheStart()
    {
        var workflow = new WorkflowBuilder<Trail, string>("orders")
            .AddNode(DelegateNode<Trail>.Routing("validate", "ok"))
            .AddNode(DelegateNode<Trail>.Routing("ship", "done"))
            .Route("validate", "ok", "ship")
            .Build();

        var text = MermaidFlowchart.Render(workflow.ToGraph());

        Assert.Equal(
            """
            flowchart LR
                %% orders
                n0("validate")
                n1("ship")
                start((start))
                start --> n0
                n0 -->|"ok"| n1

            """.ReplaceLineEndings(),
            text);
    }

    [Fact]
    public void Render_QuotesInIds_AreEscaped()
    {
        var graph = new WorkflowGraph("g", "a\"b", [new GraphNode("a\"b", GraphNodeRole.Source)], [], "stop");

        var text = MermaidFlowchart.Render(graph);

        Assert.Contains("n0([\"a#quot;b\"])", text, StringComparison.Ordinal);
        Assert.Contains("terminate(((\"stop\")))", text, StringComparison.Ordinal);
    }
}
