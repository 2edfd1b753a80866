using Floxide.Core;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Events.Tests.Adapters;

public sealed class EventDrivenNodeAdapterTests
{
    private readonly ChannelEventSource<int> channel = new("channel", capacity: 4, ChannelFullMode.Wait);
    private readonly FakeTimeProvider time = new();

    private EventDrivenNodeAdapter<int, Journal, string> Adapter() =>
        new(new SelfRoutingSource("sensor", channel, n => n > 100 ? "alarm" : "log"), TimeSpan.FromSeconds(10), "timeout", time);

    [Fact]
    public async Task ExecuteAsync_EventArrives_RoutesWithTheNodesAction()
    {
        channel.TryWrite(500);

        var outcome = await Adapter().ExecuteAsync(new Journal());

        Assert.Equal(NodeOutcome.Route("alarm"), outcome);
    }

    [Fact]
    public async Task ExecuteAsync_NoEventWithinTheTimeout_RoutesWithTheTimeoutAction()
    {
        var step = Adapter().ExecuteAsync(new Journal()).AsTask();
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(step.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(NodeOutcome.Route("timeout"), await step);
        channel.TryWrite(1);
        Assert.Equal(1, await channel.WaitForEventAsync());
    }

    [Fact]
    public async Task ExecuteAsync_SourceCompleted_EndsTheStandardWorkflow()
    {
        channel.Complete();

        Assert.Equal(NodeOutcome.Complete("timeout"), await Adapter().ExecuteAsync(new Journal()));
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancels_ThrowsRatherThanTimingOut()
    {
        using var cancellation = new CancellationTokenSource();
        var step = Adapter().ExecuteAsync(new Journal(), cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => step);
    }

    [Fact]
    public async Task InAStandardWorkflow_TimeoutActionPicksItsOwnRoute()
    {
        var journal = new Journal();
        var workflow = new WorkflowBuilder<Journal, string>("poll")
            .AddNode(Adapter())
            .AddNode(new RecordingStep("on-alarm"))
            .AddNode(new RecordingStep("on-timeout"))
            .Route("sensor", "alarm", "on-alarm")
            .Route("sensor", "timeout", "on-timeout")
            .Build();

        var run = workflow.ExecuteAsync(journal).AsTask();
        time.Advance(TimeSpan.FromSeconds(10));
        await run;
        channel.TryWrite(101);
        await workflow.ExecuteAsync(journal);

        Assert.Equal(["on-timeout", "on-alarm"], journal.Entries);
    }

    [Fact]
    public void Constructor_NonPositiveTimeout_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new EventDrivenNodeAdapter<int, Journal, string>(new SelfRoutingSource("s", channel, _ => "x"), TimeSpan.Zero, "timeout"));
}

internal sealed class RecordingStep(string id) : INode<Journal, string>
{
    public string Id => id;

    public ValueTask<NodeOutcome<string>> ExecuteAsync(Journal context, CancellationToken cancellationToken = default)
    {
        context.Entries.Add(id);
        return ValueTask.FromResult(NodeOutcome.Route("done"));
    }
}
