using Floxide.Core.Routing;

namespace Floxide.Events.Tests.Workflows;

public sealed class EventDrivenWorkflowValidationTests
{
    private readonly ChannelEventSource<int> source = new("source", capacity: 4, ChannelFullMode.Wait);

    private static DelegateProcessor<int, Journal> Processor(string id) => DelegateProcessor<int, Journal>.Returning(id, _ => "done");

    private EventDrivenWorkflowBuilder<int, Journal, string> Builder() =>
        new EventDrivenWorkflowBuilder<int, Journal, string>("checked").AddSource(source, "next");

    private static IReadOnlyList<WorkflowValidationError> Errors(EventDrivenWorkflowBuilder<int, Journal, string> builder) =>
        Assert.Throws<WorkflowValidationException>(() => builder.Build()).Errors;

    private static WorkflowValidationError SingleError(EventDrivenWorkflowBuilder<int, Journal, string> builder) =>
        Assert.Single(Errors(builder));

    [Fact]
    public void Build_ValidGraph_Builds() =>
        Assert.NotNull(Builder().AddProcessor(Processor("p")).Route("source", "next", "p").Route("p", "done", "source").Build());

    [Fact]
    public void Build_InitialNodeIsAProcessor_IsRejectedNamingIt()
    {
        var error = SingleError(new EventDrivenWorkflowBuilder<int, Journal, string>("checked")
            .AddProcessor(Processor("p"))
            .AddSource(source, "next")
            .Route("p", "done", "source")
            .Route("source", "next", "p"));

        Assert.Equal((WorkflowValidationErrorKind.InitialNodeNotSource, "p"), (error.Kind, error.NodeId));
        Assert.Contains("start with a source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownTarget_NamesTheNodeAndTheAction()
    {
        var error = SingleError(Builder().Route("source", "next", "ghost"));

        Assert.Equal((WorkflowValidationErrorKind.UnknownNode, "ghost", "next"), (error.Kind, error.NodeId, error.Action));
    }

    [Fact]
    public void Build_DuplicateIds_AreRejected()
    {
        var errors = Errors(Builder()
            .AddProcessor(Processor("p"))
            .AddProcessor(Processor("p"))
            .Route("source", "next", "p")
            .Route("p", "done", "source"));

        Assert.Contains(errors, error => error is { Kind: WorkflowValidationErrorKind.DuplicateNodeId, NodeId: "p" });
    }

    [Fact]
    public void Build_UnreachableProcessor_IsNamed()
    {
        var error = SingleError(Builder()
            .AddProcessor(Processor("p"))
            .AddProcessor(Processor("orphan"))
            .Route("source", "next", "p")
            .Route("p", "done", "source")
            .Route("orphan", "done", "source"));

        Assert.Equal((WorkflowValidationErrorKind.UnreachableNode, "orphan"), (error.Kind, error.NodeId));
    }

    [Fact]
    public void Build_ProcessorCycleThatNeverReturnsToASource_ShowsTheLoop()
    {
        var error = SingleError(Builder()
            .AddProcessor(Processor("a"))
            .AddProcessor(Processor("b"))
            .AddProcessor(Processor("c"))
            .Route("source", "next", "a")
            .Route("a", "done", "b")
            .Route("b", "done", "c")
            .Route("c", "done", "b"));

        Assert.Equal(WorkflowValidationErrorKind.ProcessorCycle, error.Kind);
        Assert.Equal(("b", "done"), (error.NodeId, error.Action));
        Assert.Contains("'b' --done--> 'c' --done--> 'b'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ProcessorCycleWithAnExitToASource_IsAllowed() =>
        Assert.NotNull(Builder()
            .AddProcessor(Processor("a"))
            .AddProcessor(Processor("b"))
            .Route("source", "next", "a")
            .Route("a", "retry", "b")
            .Route("b", "retry", "a")
            .Route("b", "done", "source")
            .Build());

    [Fact]
    public void Build_DeadEndProcessor_IsAllowedSinceItMayTerminate() =>
        Assert.NotNull(Builder().AddProcessor(Processor("sink")).Route("source", "next", "sink").TerminateOn("stop").Build());

    [Fact]
    public void Build_RouteOnTheTerminationAction_IsNeverTaken()
    {
        var error = SingleError(Builder()
            .AddProcessor(Processor("p"))
            .Route("source", "next", "p")
            .Route("p", "stop", "source")
            .TerminateOn("stop"));

        Assert.Equal((WorkflowValidationErrorKind.RouteShadowedByTermination, "p", "stop"), (error.Kind, error.NodeId, error.Action));
    }

    [Fact]
    public void Build_SourceWithoutARouteForWhatItEmits_IsAMissingRoute()
    {
        var error = SingleError(new EventDrivenWorkflowBuilder<int, Journal, string>("checked").AddSource(source, "next"));

        Assert.Equal((WorkflowValidationErrorKind.MissingRoute, "source", "next"), (error.Kind, error.NodeId, error.Action));
    }

    [Fact]
    public void Build_SourceRouteOnAnActionItNeverEmits_IsUnused()
    {
        var error = SingleError(Builder()
            .AddProcessor(Processor("p"))
            .Route("source", "next", "p")
            .Route("source", "other", "p")
            .Route("p", "done", "source"));

        Assert.Equal((WorkflowValidationErrorKind.UnusedRoute, "source", "other"), (error.Kind, error.NodeId, error.Action));
    }

    [Fact]
    public void WithMaxHopsPerEvent_BelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder().WithMaxHopsPerEvent(0));
}
