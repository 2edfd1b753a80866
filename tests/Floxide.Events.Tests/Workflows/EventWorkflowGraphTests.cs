using Floxide.Core.Graph;

namespace Floxide.Events.Tests.Workflows;

public sealed class EventWorkflowGraphTests
{
    [Fact]
    public void ToGraph_MermaidShowsSourcesProcessorsRoutesAndTermination()
    {
        var source = new ChannelEventSource<int>("readings", capacity: 4, ChannelFullMode.Wait);
        var workflow = new EventDrivenWorkflowBuilder<int, Journal, string>("monitor")
            .AddSource(source, "next")
            .AddProcessor(DelegateProcessor<int, Journal>.Returning("classify", _ => "normal"))
            .Route("readings", "next", "classify")
            .Route("classify", "normal", "readings")
            .TerminateOn("stop")
            .Build();

        var text = MermaidFlowchart.Render(workflow.ToGraph());

        Assert.Equal(
            """
            flowchart LR
                %% monitor
                n0(["readings"])
                n1["classify"]
                start((start))
                start --> n0
                n0 -->|"next"| n1
                n1 -->|"normal"| n0
                terminate((("stop")))

            """.ReplaceLineEndings(),
            text);
    }
}
