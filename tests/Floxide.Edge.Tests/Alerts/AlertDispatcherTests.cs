using System.Threading.Channels;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Floxide.Edge.Tests.Alerts;

public sealed class AlertDispatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly WatchedTimeProvider time = new(EdgeTestKit.Start);
    private readonly List<AlertDispatcher> dispatchers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Stops every dispatcher at once, abandoning deliveries: a test that failed with a sink hanging on the fake clock must not hang too.</summary>
    public async Task DisposeAsync()
    {
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        await Task.WhenAll(dispatchers.Select(dispatcher => dispatcher.StopAsync(now.Token))).WaitAsync(Patience);
    }

    private static AlertNotification Notification(long sequence, AlertTransition transition = AlertTransition.Raised, string? id = null) => new(sequence, transition,
        new Alert { Id = id ?? $"s/{sequence}", Kind = AlertKind.Stale, Severity = Severity.Warning, SensorId = "s", RaisedAt = EdgeTestKit.Start, ChangedAt = EdgeTestKit.Start, Message = "m" },
        Severity.Normal, EdgeTestKit.Start);

    private AlertDispatcher Dispatcher(AlertDeliveryOptions options, params IAlertSink[] sinks)
    {
        var dispatcher = new AlertDispatcher(sinks, options, time, NullLogger<AlertDispatcher>.Instance, meter: null, jitter: false);
        dispatchers.Add(dispatcher);
        return dispatcher;
    }

    private AlertDispatcher Dispatcher(int retries, params IAlertSink[] sinks) =>
        Dispatcher(new AlertDeliveryOptions { MaxRetryAttempts = retries, RetryDelay = TimeSpan.Zero }, sinks);

    [Fact]
    public async Task Publish_SinkFailsTwiceThenSucceeds_IsDeliveredOnceAndFailuresCounted()
    {
        var sink = new FlakySink(time, failures: 2);
        var dispatcher = Dispatcher(5, sink);

        dispatcher.Publish(Notification(1));
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal([1L], sink.Delivered);
        Assert.Equal(3, sink.Attempts.Count);
        Assert.Equal(new AlertSinkStatistics("flaky", 1, 2, 0, 0), Assert.Single(dispatcher.Statistics));
    }

    [Fact]
    public async Task Publish_SinkAlwaysFails_GivesUpAfterRetriesWhileOtherSinksDeliver()
    {
        var broken = new FlakySink(time, failures: int.MaxValue);
        var healthy = new RecordingAlertSink("healthy");
        var dispatcher = Dispatcher(3, broken, healthy);

        dispatcher.Publish(Notification(1));
        dispatcher.Publish(Notification(2));
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal([1L, 2L], healthy.Notifications.Select(n => n.Sequence));
        Assert.Equal(8, broken.Attempts.Count);
        Assert.Equal(new AlertSinkStatistics("flaky", 0, 8, 2, 0), dispatcher.Statistics[0]);
    }

    [Fact]
    public async Task Publish_SinkKeepsFailing_RetriesBackOffExponentiallyUpToTheMaximumOnTheClock()
    {
        var sink = new FlakySink(time, failures: int.MaxValue);
        var options = new AlertDeliveryOptions
        {
            MaxRetryAttempts = 4, RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(5), AttemptTimeout = TimeSpan.FromMinutes(10),
        };
        var dispatcher = Dispatcher(options, sink);

        dispatcher.Publish(Notification(1));
        var armed = new List<TimeSpan>();
        foreach (var seconds in new[] { 1, 2, 4, 5 })
        {
            await time.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(seconds), armed);
        }

        await dispatcher.FlushAsync().WaitAsync(Patience);

        // Each attempt arms its timeout first; between attempts, the back-off: 1 s, 2 s, 4 s, then capped at 5 s.
        Assert.Equal([600, 1, 600, 2, 600, 4, 600, 5], armed.Select(delay => (int)delay.TotalSeconds));
        Assert.Equal([0, 1, 3, 7, 12], sink.Attempts.Select(at => (int)(at - EdgeTestKit.Start).TotalSeconds));
        Assert.Equal(new AlertSinkStatistics("flaky", 0, 5, 1, 0), Assert.Single(dispatcher.Statistics));
    }

    [Fact]
    public async Task Publish_AttemptHangs_TimesOutCountsAFailureRetriesAndTheQueueMovesOn()
    {
        var sink = new HangingSink(hangOn: 1);
        var options = new AlertDeliveryOptions
        {
            MaxRetryAttempts = 1, RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromSeconds(5),
        };
        var dispatcher = Dispatcher(options, sink);

        dispatcher.Publish(Notification(1));
        dispatcher.Publish(Notification(2));
        await sink.WhenEnteredAsync(1);
        await time.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(5));
        await time.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(1));
        await sink.WhenEnteredAsync(1);
        Assert.Equal(new AlertSinkStatistics("hanging", 0, 1, 0, 2), Assert.Single(dispatcher.Statistics));
        await time.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(5));
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal(2, sink.Cancelled);
        Assert.Equal([2L], sink.Delivered);
        Assert.Equal(new AlertSinkStatistics("hanging", 1, 2, 1, 0), Assert.Single(dispatcher.Statistics));
        Assert.Equal(EdgeTestKit.Start.AddSeconds(11), time.GetUtcNow());
    }

    [Fact]
    public async Task Publish_SinkHangs_NeverBlocksThePublisherOrTheOtherSinks()
    {
        var hanging = new HangingSink(hangOn: long.MaxValue);
        var healthy = new RecordingAlertSink("healthy");
        var dispatcher = Dispatcher(new AlertDeliveryOptions { MaxRetryAttempts = 0, AttemptTimeout = TimeSpan.FromMinutes(10) }, hanging, healthy);

        for (var i = 1; i <= 1_000; i++)
        {
            dispatcher.Publish(Notification(i));
        }

        await healthy.WhenCountAsync(1_000).WaitAsync(Patience);
        await hanging.WhenEnteredAsync(1);
        Assert.Equal(1_000, healthy.Notifications.Count);
        Assert.Equal(1_000, dispatcher.Statistics[0].Pending);

        using var stop = new CancellationTokenSource();
        var stopping = dispatcher.StopAsync(stop.Token);
        await stop.CancelAsync();
        await stopping.WaitAsync(Patience);
    }

    [Fact]
    public async Task Publish_RemindersToASinkFarBehind_AreCoalescedToOneQueuedPerAlertWhileOthersGetEveryOne()
    {
        var stuck = new HangingSink(hangOn: 1);
        var healthy = new RecordingAlertSink("healthy");
        var dispatcher = Dispatcher(new AlertDeliveryOptions { MaxRetryAttempts = 0, AttemptTimeout = TimeSpan.FromMinutes(10) }, stuck, healthy);
        var sequence = 0L;
        while (sequence < AlertDispatcher.ReminderCoalescingBacklog)
        {
            dispatcher.Publish(Notification(++sequence));
        }

        await stuck.WhenEnteredAsync(1);

        // The healthy sink catches up first, so only the stuck one is behind when the reminders come.
        await healthy.WhenCountAsync(AlertDispatcher.ReminderCoalescingBacklog).WaitAsync(Patience);
        for (var reminder = 0; reminder < 50; reminder++)
        {
            dispatcher.Publish(Notification(++sequence, AlertTransition.Renotified, "a/stale"));
            dispatcher.Publish(Notification(++sequence, AlertTransition.Renotified, "b/stale"));
        }

        dispatcher.Publish(Notification(++sequence, AlertTransition.Cleared, "b/stale"));
        await healthy.WhenCountAsync(1_101).WaitAsync(Patience);
        Assert.Equal(new AlertSinkStatistics("hanging", 0, 0, 0, 1_003, 98), dispatcher.Statistics[0]);

        await time.AdvanceWhenArmedAsync(TimeSpan.FromMinutes(10));
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal(1_002, stuck.Delivered.Count);
        Assert.Equal([1_001L, 1_002L, 1_101L], stuck.Delivered.Skip(999));
        Assert.Equal(1_101, healthy.Notifications.Count);
        Assert.Equal(0, dispatcher.Statistics[1].Coalesced);
        await dispatcher.DisposeAsync().AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task Publish_RemindersToASinkThatKeepsUp_AreNeverCoalesced()
    {
        var sink = new RecordingAlertSink();
        var dispatcher = Dispatcher(0, sink);

        for (var reminder = 1; reminder <= 100; reminder++)
        {
            dispatcher.Publish(Notification(reminder, AlertTransition.Renotified, "a/stale"));
        }

        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), sink.Notifications.Select(n => n.Sequence));
    }

    [Fact]
    public async Task DisposeAsync_SinkStillHanging_GivesUpAfterTheDrainTimeoutOnTheDispatchersClock()
    {
        var hanging = new HangingSink(hangOn: long.MaxValue);
        var dispatcher = Dispatcher(new AlertDeliveryOptions { MaxRetryAttempts = 0, AttemptTimeout = TimeSpan.FromMinutes(10) }, hanging);
        dispatcher.Publish(Notification(1));
        await hanging.WhenEnteredAsync(1);

        var disposing = dispatcher.DisposeAsync().AsTask();
        await time.AdvanceWhenArmedAsync(AlertDispatcher.DrainTimeout);
        await disposing.WaitAsync(Patience);

        Assert.Equal(1, hanging.Cancelled);
        Assert.Equal(1, dispatcher.Statistics[0].GivenUp);
    }

    [Fact]
    public void Constructor_InvalidAttemptTimeout_NamesKeyValueAndFix()
    {
        var exception = Assert.Throws<ArgumentException>(() => Dispatcher(new AlertDeliveryOptions { AttemptTimeout = TimeSpan.Zero }));

        Assert.Contains("Floxide:Alerts:Delivery:AttemptTimeout is 00:00:00; set 00:00:01 to 00:10:00", exception.Message, StringComparison.Ordinal);
    }

    private sealed class FlakySink(TimeProvider time, int failures) : IAlertSink
    {
        public List<DateTimeOffset> Attempts { get; } = [];

        public List<long> Delivered { get; } = [];

        public string Name => "flaky";

        public ValueTask PublishAsync(AlertNotification notification, CancellationToken cancellationToken = default)
        {
            Attempts.Add(time.GetUtcNow());
            if (Attempts.Count <= failures)
            {
                throw new IOException("broker unreachable");
            }

            Delivered.Add(notification.Sequence);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Hangs, honouring cancellation, on every attempt at notification <paramref name="hangOn"/> (and those after it when it is long.MaxValue); delivers the rest.</summary>
    private sealed class HangingSink(long hangOn) : IAlertSink
    {
        private readonly Channel<long> entered = Channel.CreateUnbounded<long>();
        private int cancelled;

        public string Name => "hanging";

        public List<long> Delivered { get; } = [];

        public int Cancelled => Volatile.Read(ref cancelled);

        /// <summary>Waits until an attempt at notification <paramref name="sequence"/> has begun.</summary>
        public async Task WhenEnteredAsync(long sequence)
        {
            while (await entered.Reader.ReadAsync().AsTask().WaitAsync(Patience) != sequence)
            {
            }
        }

        public async ValueTask PublishAsync(AlertNotification notification, CancellationToken cancellationToken = default)
        {
            entered.Writer.TryWrite(notification.Sequence);
            if (notification.Sequence == hangOn || hangOn == long.MaxValue)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    throw;
                }
            }

            Delivered.Add(notification.Sequence);
        }
    }
}
