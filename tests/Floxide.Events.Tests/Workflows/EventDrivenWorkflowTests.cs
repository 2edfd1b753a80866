using Floxide.Core;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Events.Tests.Workflows;

public sealed class EventDrivenWorkflowTests
{
    private readonly ChannelEventSource<int> numbers = new("numbers", capacity: 64, ChannelFullMode.Wait);

    /// <summary>numbers → parity → even|odd → back to numbers; a negative number terminates.</summary>
    private EventDrivenWorkflowBuilder<int, Journal, string> ParityWorkflow() =>
        new EventDrivenWorkflowBuilder<int, Journal, string>("parity")
            .AddSource(numbers, emits: "next")
            .AddProcessor(DelegateProcessor<int, Journal>.Returning("parity", n => n < 0 ? "stop" : n % 2 == 0 ? "even" : "odd"))
            .AddProcessor(Recorder("even"))
            .AddProcessor(Recorder("odd"))
            .Route("numbers", "next", "parity")
            .Route("parity", "even", "even")
            .Route("parity", "odd", "odd")
            .Route("even", "done", "numbers")
            .Route("odd", "done", "numbers")
            .TerminateOn("stop");

    /// <summary>numbers → stuck, where "stuck" signals <paramref name="entered"/> and then waits until cancelled.</summary>
    private EventDrivenWorkflowBuilder<int, Journal, string> StuckWorkflow(TaskCompletionSource entered) =>
        new EventDrivenWorkflowBuilder<int, Journal, string>("slow")
            .AddSource(numbers, "next")
            .AddProcessor(new DelegateProcessor<int, Journal>("stuck", async (_, _, token) =>
            {
                entered.SetResult();
                await Task.Delay(Timeout.Infinite, token);
                return "done";
            }))
            .Route("numbers", "next", "stuck")
            .Route("stuck", "done", "numbers");

    private static DelegateProcessor<int, Journal> Recorder(string id) => new(id, (n, journal, _) =>
    {
        journal.Entries.Add($"{id} {n}");
        return ValueTask.FromResult("done");
    });

    private void Write(params int[] values)
    {
        foreach (var value in values)
        {
            Assert.True(numbers.TryWrite(value));
        }
    }

    [Fact]
    public async Task ExecuteAsync_EachEventFollowsItsRoutesBackToTheSource_UntilTermination()
    {
        var workflow = ParityWorkflow().Build();
        var journal = new Journal();
        Write(1, 2, 3, -1, 4);

        var result = await workflow.ExecuteAsync(journal);

        Assert.Equal(["odd 1", "even 2", "odd 3"], journal.Entries);
        Assert.Equal(new EventWorkflowResult(EventWorkflowOutcome.Terminated, "parity", 4), result);
        Assert.Equal(4, await numbers.WaitForEventAsync());
    }

    [Fact]
    public async Task ExecuteAsync_SourceCompletes_EndsWithSourceCompletedAfterQueuedEvents()
    {
        var workflow = ParityWorkflow().Build();
        var journal = new Journal();
        Write(2, 5);
        numbers.Complete();

        var result = await workflow.ExecuteAsync(journal);

        Assert.Equal(new EventWorkflowResult(EventWorkflowOutcome.SourceCompleted, "numbers", 2), result);
        Assert.Equal(["even 2", "odd 5"], journal.Entries);
    }

    [Fact]
    public async Task ExecuteAsync_WithTimeout_EndsTimedOutWhileWaiting()
    {
        var time = new FakeTimeProvider();
        var workflow = ParityWorkflow().WithTimeProvider(time).Build();
        Write(2);

        var run = workflow.ExecuteAsync(new Journal(), TimeSpan.FromSeconds(30)).AsTask();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new EventWorkflowResult(EventWorkflowOutcome.TimedOut, "numbers", 1), await run);
    }

    [Fact]
    public async Task ExecuteAsync_WithTimeout_TerminationBeforeTheTimeoutWins()
    {
        var workflow = ParityWorkflow().WithTimeProvider(new FakeTimeProvider()).Build();
        Write(-5);

        var result = await workflow.ExecuteAsync(new Journal(), TimeSpan.FromSeconds(30));

        Assert.Equal(EventWorkflowOutcome.Terminated, result.Outcome);
    }

    [Fact]
    public async Task ExecuteAsync_TimeoutElapsesMidProcess_EndsTimedOutAtThatNode()
    {
        var time = new FakeTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = StuckWorkflow(entered)
            .WithTimeProvider(time)
            .Build();
        Write(1);

        var run = workflow.ExecuteAsync(new Journal(), TimeSpan.FromSeconds(5)).AsTask();
        await entered.Task;
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(new EventWorkflowResult(EventWorkflowOutcome.TimedOut, "stuck", 0), await run);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledMidWait_EndsCancelled()
    {
        var workflow = ParityWorkflow().Build();
        using var cancellation = new CancellationTokenSource();

        var run = workflow.ExecuteAsync(new Journal(), cancellation.Token).AsTask();
        Assert.False(run.IsCompleted);
        await cancellation.CancelAsync();

        Assert.Equal(new EventWorkflowResult(EventWorkflowOutcome.Cancelled, "numbers", 0), await run);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledMidProcess_EndsCancelledAndIsNotANodeError()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deadLetters = 0;
        var workflow = StuckWorkflow(entered)
            .DeadLetterOnError((_, _) =>
            {
                deadLetters++;
                return ValueTask.CompletedTask;
            })
            .Build();
        using var cancellation = new CancellationTokenSource();
        Write(1);

        var run = workflow.ExecuteAsync(new Journal(), cancellation.Token).AsTask();
        await entered.Task;
        await cancellation.CancelAsync();

        Assert.Equal(new EventWorkflowResult(EventWorkflowOutcome.Cancelled, "stuck", 0), await run);
        Assert.Equal(0, deadLetters);
    }

    [Fact]
    public async Task ExecuteAsync_FailRunPolicy_NodeErrorFailsTheRunNamingTheNode()
    {
        var cause = new FormatException("bad reading");
        var workflow = new EventDrivenWorkflowBuilder<int, Journal, string>("strict")
            .AddSource(numbers, "next")
            .AddProcessor(new DelegateProcessor<int, Journal>("parse", (_, _, _) => throw cause))
            .Route("numbers", "next", "parse")
            .Route("parse", "done", "numbers")
            .FailRunOnError()
            .Build();
        Write(1);

        var error = await Assert.ThrowsAsync<NodeExecutionException>(() => workflow.ExecuteAsync(new Journal()).AsTask());

        Assert.Equal(EventErrorPolicy.FailRun, workflow.ErrorPolicy);
        Assert.Equal("parse", error.NodeId);
        Assert.Same(cause, error.InnerException);
    }

    [Fact]
    public async Task ExecuteAsync_FailRunPolicy_ActionWithoutRouteFailsNamingNodeAndAction()
    {
        var workflow = new EventDrivenWorkflowBuilder<int, Journal, string>("strict")
            .AddSource(numbers, "next")
            .AddProcessor(DelegateProcessor<int, Journal>.Returning("parse", n => n == 2 ? "surprise" : "done"))
            .Route("numbers", "next", "parse")
            .Route("parse", "done", "numbers")
            .Build();
        Write(1, 2);

        var error = await Assert.ThrowsAsync<EventRoutingException>(() => workflow.ExecuteAsync(new Journal()).AsTask());

        Assert.Equal(("parse", "surprise"), (error.NodeId, error.Action));
        Assert.Contains("'parse'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'surprise'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_DeadLetterPolicy_HandsOverTheFailedEventAndCarriesOn()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var deadLetters = new List<DeadLetter<int>>();
        var journal = new Journal();
        var workflow = new EventDrivenWorkflowBuilder<int, Journal, string>("tolerant")
            .AddSource(numbers, "next")
            .AddProcessor(new DelegateProcessor<int, Journal>("parse", (n, j, _) => n switch
            {
                3 => throw new FormatException("three is bad"),
                4 => ValueTask.FromResult("unrouted"),
                _ => ValueTask.FromResult("ok"),
            }))
            .AddProcessor(Recorder("store"))
            .Route("numbers", "next", "parse")
            .Route("parse", "ok", "store")
            .Route("store", "done", "numbers")
            .DeadLetterOnError((deadLetter, _) =>
            {
                deadLetters.Add(deadLetter);
                return ValueTask.CompletedTask;
            })
            .WithTimeProvider(time)
            .Build();
        Write(1, 3, 4, 5);
        numbers.Complete();

        var result = await workflow.ExecuteAsync(journal);

        Assert.Equal(["store 1", "store 5"], journal.Entries);
        Assert.Equal(new EventWorkflowResult(EventWorkflowOutcome.SourceCompleted, "numbers", 4), result);
        Assert.Collection(
            deadLetters,
            first =>
            {
                Assert.Equal((3, "parse", time.GetUtcNow()), (first.Event, first.NodeId, first.Timestamp));
                Assert.IsType<FormatException>(Assert.IsType<NodeExecutionException>(first.Exception).InnerException);
            },
            second =>
            {
                Assert.Equal((4, "parse"), (second.Event, second.NodeId));
                Assert.Equal("unrouted", Assert.IsType<EventRoutingException>(second.Exception).Action);
            });
    }

    [Fact]
    public async Task ExecuteAsync_DeadLetterHandlerThrows_FailsTheRun()
    {
        var workflow = new EventDrivenWorkflowBuilder<int, Journal, string>("tolerant")
            .AddSource(numbers, "next")
            .AddProcessor(new DelegateProcessor<int, Journal>("parse", (_, _, _) => throw new FormatException()))
            .Route("numbers", "next", "parse")
            .Route("parse", "ok", "numbers")
            .DeadLetterOnError((_, _) => throw new IOException("dead-letter store is gone"))
            .Build();
        Write(1);

        await Assert.ThrowsAsync<IOException>(() => workflow.ExecuteAsync(new Journal()).AsTask());
    }

    [Fact]
    public async Task ExecuteAsync_EventHopsPastTheLimit_IsARoutingFailure()
    {
        var workflow = new EventDrivenWorkflowBuilder<int, Journal, string>("bouncy")
            .AddSource(numbers, "next")
            .AddProcessor(DelegateProcessor<int, Journal>.Returning("ping", n => n > 0 ? "again" : "home"))
            .AddProcessor(DelegateProcessor<int, Journal>.Returning("pong", _ => "again"))
            .Route("numbers", "next", "ping")
            .Route("ping", "again", "pong")
            .Route("ping", "home", "numbers")
            .Route("pong", "again", "ping")
            .WithMaxHopsPerEvent(10)
            .Build();
        Write(1);

        var error = await Assert.ThrowsAsync<EventRoutingException>(() => workflow.ExecuteAsync(new Journal()).AsTask());

        Assert.Contains("10 processors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_SelfRoutingSource_ChoosesTheFirstRouteItself()
    {
        var node = new SelfRoutingSource("sensor", numbers, n => n > 100 ? "alarm" : "log");
        var journal = new Journal();
        var workflow = new EventDrivenWorkflowBuilder<int, Journal, string>("self")
            .AddNode(node)
            .AddProcessor(Recorder("alarm"))
            .AddProcessor(Recorder("log"))
            .Route("sensor", "alarm", "alarm")
            .Route("sensor", "log", "log")
            .Route("alarm", "done", "sensor")
            .Route("log", "done", "sensor")
            .Build();
        Write(5, 500);
        numbers.Complete();

        await workflow.ExecuteAsync(journal);

        Assert.Equal(["log 5", "alarm 500"], journal.Entries);
    }

    [Fact]
    public async Task ExecuteAsync_RouteToAnotherSource_WaitsThereForTheNextEvent()
    {
        var commands = new ChannelEventSource<int>("commands", capacity: 4, ChannelFullMode.Wait);
        var journal = new Journal();
        var workflow = new EventDrivenWorkflowBuilder<int, Journal, string>("two-sources")
            .AddSource(numbers, "next")
            .AddSource(commands, "next")
            .AddProcessor(new DelegateProcessor<int, Journal>("handle", (n, j, _) =>
            {
                j.Entries.Add($"handle {n}");
                return ValueTask.FromResult(n == 0 ? "stop" : n % 2 == 1 ? "to-commands" : "to-numbers");
            }))
            .Route("numbers", "next", "handle")
            .Route("commands", "next", "handle")
            .Route("handle", "to-commands", "commands")
            .Route("handle", "to-numbers", "numbers")
            .TerminateOn("stop")
            .Build();
        Write(1, 3);
        commands.TryWrite(2);
        commands.TryWrite(0);

        var result = await workflow.ExecuteAsync(journal);

        Assert.Equal(["handle 1", "handle 2", "handle 3", "handle 0"], journal.Entries);
        Assert.Equal(EventWorkflowOutcome.Terminated, result.Outcome);
    }

    [Fact]
    public async Task ExecuteAsync_SecondConcurrentRun_IsRefused()
    {
        var workflow = ParityWorkflow().Build();
        using var cancellation = new CancellationTokenSource();
        var first = workflow.ExecuteAsync(new Journal(), cancellation.Token).AsTask();

        await Assert.ThrowsAsync<InvalidOperationException>(() => workflow.ExecuteAsync(new Journal()).AsTask());

        await cancellation.CancelAsync();
        Assert.Equal(EventWorkflowOutcome.Cancelled, (await first).Outcome);
        Write(-1);
        Assert.Equal(EventWorkflowOutcome.Terminated, (await workflow.ExecuteAsync(new Journal())).Outcome);
    }

    [Fact]
    public async Task GetActivity_ReportsTheBusyNodeAndHowLongSinceFirstSeen_AndIdleBetweenEvents()
    {
        var time = new FakeTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = new EventDrivenWorkflowBuilder<int, Journal, string>("watched")
            .AddSource(numbers, "next")
            .AddProcessor(new DelegateProcessor<int, Journal>("slow", async (_, _, _) =>
            {
                entered.TrySetResult();
                await release.Task;
                return "done";
            }))
            .Route("numbers", "next", "slow")
            .Route("slow", "done", "numbers")
            .WithTimeProvider(time)
            .Build();
        using var cancellation = new CancellationTokenSource();
        Assert.True(workflow.GetActivity().IsIdle);

        var run = workflow.ExecuteAsync(new Journal(), cancellation.Token).AsTask();
        Write(1);
        await entered.Task;
        Assert.Equal(new EventWorkflowActivity("slow", TimeSpan.Zero), workflow.GetActivity());
        time.Advance(TimeSpan.FromSeconds(42));

        Assert.Equal(new EventWorkflowActivity("slow", TimeSpan.FromSeconds(42)), workflow.GetActivity());
        release.SetResult();
        Write(-1);
        await cancellation.CancelAsync();
        await run;
        Assert.True(workflow.GetActivity().IsIdle);
    }
}
