using Floxide.Core.Routing;

namespace Floxide.Core.Tests.Routing;

public sealed class WorkflowBuilderValidationTests
{
    private static WorkflowBuilder<Trail, string> Builder() => new("checked");

    private static WorkflowValidationError SingleError(WorkflowBuilder<Trail, string> builder)
    {
        var error = Assert.Throws<WorkflowValidationException>(() => builder.Build());
        Assert.Equal("checked", error.WorkflowName);
        return Assert.Single(error.Errors);
    }

    [Fact]
    public void Build_NoNodes_ReportsMissingInitialNode() =>
        Assert.Equal(WorkflowValidationErrorKind.MissingInitialNode, SingleError(Builder()).Kind);

    [Fact]
    public void Build_DuplicateIds_NamesTheId()
    {
        var error = SingleError(Builder()
            .AddNode(DelegateNode<Trail>.Routing("a", "next"))
            .AddNode(DelegateNode<Trail>.Routing("a", "next")));

        Assert.Equal(WorkflowValidationErrorKind.DuplicateNodeId, error.Kind);
        Assert.Equal("a", error.NodeId);
    }

    [Fact]
    public void Build_RouteToUnknownNode_NamesNodeAndAction()
    {
        var error = SingleError(Builder()
            .AddNode(DelegateNode<Trail>.Routing("a", "next"))
            .Route("a", "next", "ghost"));

        Assert.Equal(WorkflowValidationErrorKind.UnknownNode, error.Kind);
        Assert.Equal("ghost", error.NodeId);
        Assert.Equal("next", error.Action);
        Assert.Contains("'a' --next--> 'ghost'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RouteFromUnknownNode_NamesNodeAndAction()
    {
        var error = SingleError(Builder()
            .AddNode(DelegateNode<Trail>.Routing("a", "next"))
            .Route("ghost", "next", "a"));

        Assert.Equal(WorkflowValidationErrorKind.UnknownNode, error.Kind);
        Assert.Equal("ghost", error.NodeId);
    }

    [Fact]
    public void Build_UnknownInitialNode_NamesIt()
    {
        var error = SingleError(Builder().AddNode(DelegateNode<Trail>.Routing("a", "next")).StartWith("nope"));

        Assert.Equal(WorkflowValidationErrorKind.UnknownNode, error.Kind);
        Assert.Equal("nope", error.NodeId);
    }

    [Fact]
    public void Build_TwoRoutesForOneAction_NamesNodeAndAction()
    {
        var error = SingleError(Builder()
            .AddNode(DelegateNode<Trail>.Routing("a", "next"))
            .AddNode(DelegateNode<Trail>.Routing("b", "next"))
            .AddNode(DelegateNode<Trail>.Routing("c", "next"))
            .Route("a", "next", "b")
            .Route("a", "next", "c")
            .Route("b", "next", "c"));

        Assert.Equal(WorkflowValidationErrorKind.DuplicateRoute, error.Kind);
        Assert.Equal(("a", "next"), (error.NodeId, error.Action));
    }

    [Fact]
    public void Build_UnreachableNode_NamesIt()
    {
        var error = SingleError(Builder()
            .AddNode(DelegateNode<Trail>.Routing("a", "next"))
            .AddNode(DelegateNode<Trail>.Routing("island", "next")));

        Assert.Equal(WorkflowValidationErrorKind.UnreachableNode, error.Kind);
        Assert.Equal("island", error.NodeId);
    }

    [Fact]
    public void Build_SeveralProblems_ReportsAllAtOnce()
    {
        var error = Assert.Throws<WorkflowValidationException>(() => Builder()
            .AddNode(DelegateNode<Trail>.Routing("a", "next"))
            .AddNode(DelegateNode<Trail>.Routing("a", "next"))
            .Route("a", "x", "ghost")
            .Build());

        Assert.Equal(
            [WorkflowValidationErrorKind.DuplicateNodeId, WorkflowValidationErrorKind.UnknownNode],
            error.Errors.Select(e => e.Kind));
        Assert.Contains("2 problems", error.Message, StringComparison.Ordinal);
    }
}
