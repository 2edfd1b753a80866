using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Microsoft.Extensions.Logging.Abstractions;

namespace Floxide.Edge.Tests.Alerts;

public sealed class AlertDispatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static AlertNotification Notification(long sequence) => new(sequence, AlertTransition.Raised,
        new Alert { Id = $"s/{sequence}", Kind = AlertKind.Stale, Severity = Severity.Warning, SensorId = "s", RaisedAt = EdgeTestKit.Start, ChangedAt = EdgeTestKit.Start, Message = "m" },
        Severity.Normal, EdgeTestKit.Start);

    private static AlertDispatcher Dispatcher(int retries, params IAlertSink[] sinks) =>
        new(sinks, new AlertDeliveryOptions { MaxRetryAttempts = retries, RetryDelay = TimeSpan.Zero }, TimeProvider.System, NullLogger<AlertDispatcher>.Instance);

    [Fact]
    public async Task Publish_SinkFailsTwiceThenSucceeds_IsDeliveredOnceAndFailuresCounted()
    {
        var sink = new FlakySink(failures: 2);
        await using var dispatcher = Dispatcher(5, sink);

        dispatcher.Publish(Notification(1));
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal([1L], sink.Delivered);
        Assert.Equal(3, sink.Attempts);
        Assert.Equal(new AlertSinkStatistics("flaky", 1, 2, 0, 0), Assert.Single(dispatcher.Statistics));
    }

    [Fact]
    public async Task Publish_SinkAlwaysFails_GivesUpAfterRetriesWhileOtherSinksDeliver()
    {
        var broken = new FlakySink(failures: int.MaxValue);
        var healthy = new RecordingAlertSink("healthy");
        await using var dispatcher = Dispatcher(3, broken, healthy);

        dispatcher.Publish(Notification(1));
        dispatcher.Publish(Notification(2));
        await dispatcher.FlushAsync().WaitAsync(Patience);

        Assert.Equal([1L, 2L], healthy.Notifications.Select(n => n.Sequence));
        Assert.Equal(8, broken.Attempts);
        Assert.Equal(new AlertSinkStatistics("flaky", 0, 8, 2, 0), dispatcher.Statistics[0]);
    }

    [Fact]
    public async Task Publish_SinkHangs_NeverBlocksThePublisherOrTheOtherSinks()
    {
        var hanging = new HangingSink();
        var healthy = new RecordingAlertSink("healthy");
        var dispatcher = Dispatcher(0, hanging, healthy);

        for (var i = 1; i <= 1_000; i++)
        {
            dispatcher.Publish(Notification(i));
        }

        await healthy.WhenCountAsync(1_000).WaitAsync(Patience);
        await hanging.Entered.WaitAsync(Patience);
        Assert.Equal(1_000, healthy.Notifications.Count);
        Assert.Equal(1_000, dispatcher.Statistics[0].Pending);

        using var stop = new CancellationTokenSource();
        var stopping = dispatcher.StopAsync(stop.Token);
        await stop.CancelAsync();
        await stopping.WaitAsync(Patience);
    }

    private sealed class FlakySink(int failures) : IAlertSink
    {
        public int Attempts { get; private set; }

        public List<long> Delivered { get; } = [];

        public string Name => "flaky";

        public ValueTask PublishAsync(AlertNotification notification, CancellationToken cancellationToken = default)
        {
            if (++Attempts <= failures)
            {
                throw new IOException("broker unreachable");
            }

            Delivered.Add(notification.Sequence);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class HangingSink : IAlertSink
    {
        private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => entered.Task;

        public string Name => "hanging";

        public async ValueTask PublishAsync(AlertNotification notification, CancellationToken cancellationToken = default)
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
