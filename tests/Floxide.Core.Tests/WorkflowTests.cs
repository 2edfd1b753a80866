using Floxide.Core;

namespace Floxide.Core.Tests;

public sealed class WorkflowTests
{
    [Fact]
    public async Task ExecuteAsync_RoutesEachActionToItsNode_UntilAnActionHasNoRoute()
    {
        var workflow = new WorkflowBuilder<Trail, string>("orders")
            .AddNode(DelegateNode<Trail>.Routing("validate", "ok", trail => trail.Visited.Add("validate")))
            .AddNode(DelegateNode<Trail>.Routing("reject", "done", trail => trail.Visited.Add("reject")))
            .AddNode(DelegateNode<Trail>.Routing("ship", "done", trail => trail.Visited.Add("ship")))
            .Route("validate", "ok", "ship")
            .Route("validate", "bad", "reject")
            .Build();
        var trail = new Trail();

        var result = await workflow.ExecuteAsync(trail);

        Assert.Equal(["validate", "ship"], trail.Visited);
        Assert.Equal(new WorkflowResult<string>(WorkflowCompletion.NoRoute, "ship", "done", 2), result);
    }

    [Fact]
    public async Task ExecuteAsync_TerminalOutcome_EndsRunEvenWhenTheActionHasARoute()
    {
        var workflow = new WorkflowBuilder<Trail, string>("stop")
            .AddNode(new DelegateNode<Trail>("first", (_, _) => ValueTask.FromResult(NodeOutcome.Complete("next"))))
            .AddNode(DelegateNode<Trail>.Routing("second", "done", trail => trail.Visited.Add("second")))
            .Route("first", "next", "second")
            .Build();
        var trail = new Trail();

        var result = await workflow.ExecuteAsync(trail);

        Assert.Empty(trail.Visited);
        Assert.Equal(WorkflowCompletion.Terminated, result.Completion);
        Assert.Equal("first", result.LastNodeId);
        Assert.Equal("next", result.LastAction);
    }

    [Fact]
    public async Task ExecuteAsync_NodeThrows_SurfacesTheNodeIdAndTheCause()
    {
        var cause = new InvalidOperationException("disk full");
        var workflow = new WorkflowBuilder<Trail, string>("failing")
            .AddNode(DelegateNode<Trail>.Routing("read", "next"))
            .AddNode(new DelegateNode<Trail>("write", (_, _) => throw cause))
            .Route("read", "next", "write")
            .Build();

        var error = await Assert.ThrowsAsync<NodeExecutionException>(() => workflow.ExecuteAsync(new Trail()).AsTask());

        Assert.Equal("write", error.NodeId);
        Assert.Same(cause, error.InnerException);
        Assert.Contains("'write'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_RoutesThatLoopForever_FailAtTheStepLimitNamingTheNode()
    {
        var workflow = new WorkflowBuilder<Trail, string>("loop")
            .AddNode(DelegateNode<Trail>.Routing("ping", "again"))
            .AddNode(DelegateNode<Trail>.Routing("pong", "again"))
            .Route("ping", "again", "pong")
            .Route("pong", "again", "ping")
            .WithStepLimit(7)
            .Build();

        var error = await Assert.ThrowsAsync<WorkflowStepLimitExceededException>(() => workflow.ExecuteAsync(new Trail()).AsTask());

        Assert.Equal(7, error.StepLimit);
        Assert.Equal("pong", error.NodeId);
        Assert.Equal("loop", error.WorkflowName);
    }

    [Fact]
    public async Task ExecuteAsync_LoopWithinTheStepLimit_Completes()
    {
        var workflow = new WorkflowBuilder<Trail, string>("retry")
            .AddNode(new DelegateNode<Trail>("attempt", (trail, _) =>
            {
                trail.Visited.Add("attempt");
                return ValueTask.FromResult(NodeOutcome.Route(trail.Visited.Count < 3 ? "retry" : "done"));
            }))
            .Route("attempt", "retry", "attempt")
            .Build();
        var trail = new Trail();

        var result = await workflow.ExecuteAsync(trail);

        Assert.Equal(3, result.Steps);
        Assert.Equal("done", result.LastAction);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledWhileANodeRuns_ThrowsOperationCanceledNotNodeExecution()
    {
        using var cancellation = new CancellationTokenSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = new WorkflowBuilder<Trail, string>("slow")
            .AddNode(new DelegateNode<Trail>("wait", async (_, token) =>
            {
                entered.SetResult();
                await Task.Delay(Timeout.Infinite, token);
                return NodeOutcome.Route("never");
            }))
            .Build();

        var run = workflow.ExecuteAsync(new Trail(), cancellation.Token).AsTask();
        await entered.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task ExecuteAsync_AlreadyCancelled_RunsNoNode()
    {
        var trail = new Trail();
        var workflow = new WorkflowBuilder<Trail, string>("never")
            .AddNode(DelegateNode<Trail>.Routing("first", "done", t => t.Visited.Add("first")))
            .Build();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => workflow.ExecuteAsync(trail, new CancellationToken(true)).AsTask());
        Assert.Empty(trail.Visited);
    }

    [Fact]
    public async Task ExecuteAsync_StartWith_StartsAtTheChosenNode()
    {
        var trail = new Trail();
        var workflow = new WorkflowBuilder<Trail, string>("start")
            .AddNode(DelegateNode<Trail>.Routing("a", "next", t => t.Visited.Add("a")))
            .AddNode(DelegateNode<Trail>.Routing("b", "next", t => t.Visited.Add("b")))
            .Route("b", "next", "a")
            .StartWith("b")
            .Build();

        await workflow.ExecuteAsync(trail);

        Assert.Equal(["b", "a"], trail.Visited);
    }

    [Fact]
    public void WithStepLimit_BelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkflowBuilder<Trail, string>("x").WithStepLimit(0));
}
