using Floxide.Core;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Events.Tests.Adapters;

public sealed class NestedEventDrivenWorkflowTests
{
    private readonly ChannelEventSource<int> channel = new("channel", capacity: 8, ChannelFullMode.Wait);
    private readonly FakeTimeProvider time = new();

    private NestedEventDrivenWorkflow<int, Journal, string> Nested(TimeSpan? timeout)
    {
        var inner = new EventDrivenWorkflowBuilder<int, Journal, string>("collect")
            .AddSource(channel, "next")
            .AddProcessor(new DelegateProcessor<int, Journal>("collect", (n, journal, _) =>
            {
                journal.Entries.Add($"collect {n}");
                return ValueTask.FromResult(n == 0 ? "stop" : "done");
            }))
            .Route("channel", "next", "collect")
            .Route("collect", "done", "channel")
            .TerminateOn("stop")
            .WithTimeProvider(time)
            .Build();
        return new NestedEventDrivenWorkflow<int, Journal, string>("batch", inner, "complete", "timeout", timeout);
    }

    private static Workflow<Journal, string> Outer(INode<Journal, string> nested) =>
        new WorkflowBuilder<Journal, string>("outer")
            .AddNode(nested)
            .AddNode(new RecordingStep("on-complete"))
            .AddNode(new RecordingStep("on-timeout"))
            .Route("batch", "complete", "on-complete")
            .Route("batch", "timeout", "on-timeout")
            .Build();

    [Fact]
    public async Task ExecuteAsync_InnerRunTerminates_RoutesWithTheCompleteAction()
    {
        var journal = new Journal();
        channel.TryWrite(3);
        channel.TryWrite(0);
        var nested = Nested(TimeSpan.FromMinutes(1));

        await Outer(nested).ExecuteAsync(journal);

        Assert.Equal(["collect 3", "collect 0", "on-complete"], journal.Entries);
        Assert.Equal(EventWorkflowOutcome.Terminated, nested.LastResult?.Outcome);
    }

    [Fact]
    public async Task ExecuteAsync_InnerSourceCompletes_RoutesWithTheCompleteAction()
    {
        channel.TryWrite(1);
        channel.Complete();

        Assert.Equal(NodeOutcome.Route("complete"), await Nested(timeout: null).ExecuteAsync(new Journal()));
    }

    [Fact]
    public async Task ExecuteAsync_InnerRunTimesOut_RoutesWithTheTimeoutAction()
    {
        var journal = new Journal();
        channel.TryWrite(7);

        var run = Outer(Nested(TimeSpan.FromSeconds(30))).ExecuteAsync(journal).AsTask();
        time.Advance(TimeSpan.FromSeconds(30));
        await run;

        Assert.Equal(["collect 7", "on-timeout"], journal.Entries);
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_PropagatesCancellation()
    {
        using var cancellation = new CancellationTokenSource();
        var run = Nested(timeout: null).ExecuteAsync(new Journal(), cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
