using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Floxide.Edge.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Floxide.Edge.Alerts;

/// <summary>Delivery figures of one sink since start.</summary>
/// <param name="Sink">The sink's name.</param>
/// <param name="Delivered">Notifications delivered.</param>
/// <param name="FailedAttempts">Attempts that threw, retried or not.</param>
/// <param name="GivenUp">Notifications given up after the last retry.</param>
/// <param name="Pending">Notifications queued and not yet delivered or given up.</param>
/// <param name="Coalesced">Reminders not queued because a reminder of the same alert was still waiting in the queue.</param>
public readonly record struct AlertSinkStatistics(string Sink, long Delivered, long FailedAttempts, long GivenUp, long Pending, long Coalesced = 0);

/// <summary>
/// Hands alert notifications to every <see cref="IAlertSink"/> without ever blocking the caller: each sink has its own
/// queue and delivery loop, so a slow or failing sink delays neither the workflow loop nor the other sinks. Each
/// attempt is bounded by <see cref="AlertDeliveryOptions.AttemptTimeout"/>; an attempt that throws or times out is
/// retried with exponential back-off (Polly), and every failure is counted.
/// </summary>
/// <remarks>
/// <para>Transitions are never dropped for lack of room: they are few (one per change of a condition). Reminders,
/// which a sink that is down for long would otherwise pile up one per interval per alert, are coalesced once the sink
/// has fallen <see cref="ReminderCoalescingBacklog"/> notifications behind: a reminder of an alert that already has a
/// reminder waiting in that sink's queue is then not queued again (counted in
/// <see cref="AlertSinkStatistics.Coalesced"/>), so the queue grows past the backlog by at most one reminder per active
/// alert. A sink that keeps up never loses one. A gap in <see cref="AlertNotification.Sequence"/> before a reminder
/// means a coalesced reminder, not a lost transition. The readings channel, bounded, is what gives way under load.</para>
/// <para><see cref="Publish"/> is thread-safe.</para>
/// </remarks>
public sealed partial class AlertDispatcher : IAsyncDisposable
{
    /// <summary>How many notifications a sink's queue holds before its reminders are coalesced: 1000.</summary>
    public const int ReminderCoalescingBacklog = 1_000;

    /// <summary>How long <see cref="DisposeAsync"/> lets the queues drain: 5 seconds on the dispatcher's clock.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly SinkWorker[] workers;
    private readonly CancellationTokenSource stopping = new();
    private readonly TimeProvider timeProvider;
    private readonly ILogger<AlertDispatcher> logger;
    private bool disposed;

    /// <summary>Creates the dispatcher and starts a delivery loop per sink.</summary>
    /// <param name="sinks">The sinks.</param>
    /// <param name="options">How failing sinks are retried.</param>
    /// <param name="timeProvider">The clock for back-off delays.</param>
    /// <param name="logger">Logs failed and given-up deliveries.</param>
    /// <param name="meter">The meter for <c>floxide.alerts.delivered</c>, <c>floxide.alerts.sink.failures</c>, <c>floxide.alerts.given_up</c> and <c>floxide.alerts.coalesced</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public AlertDispatcher(IEnumerable<IAlertSink> sinks, AlertDeliveryOptions options, TimeProvider timeProvider, ILogger<AlertDispatcher> logger, Meter? meter = null)
        : this(sinks, options, timeProvider, logger, meter, jitter: true)
    {
    }

    /// <summary>Creates the dispatcher; <paramref name="jitter"/> off makes back-off delays exact, for tests.</summary>
    internal AlertDispatcher(IEnumerable<IAlertSink> sinks, AlertDeliveryOptions options, TimeProvider timeProvider, ILogger<AlertDispatcher> logger, Meter? meter, bool jitter)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var problems = AlertOptionsValidator.DeliveryProblems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        this.timeProvider = timeProvider;
        this.logger = logger;
        meter ??= EdgeMeter.Default;
        var instruments = new Instruments(
            meter.CreateCounter<long>("floxide.alerts.delivered", "{notification}", "Alert notifications delivered, by sink."),
            meter.CreateCounter<long>("floxide.alerts.sink.failures", "{attempt}", "Alert delivery attempts that threw or timed out, by sink."),
            meter.CreateCounter<long>("floxide.alerts.given_up", "{notification}", "Alert notifications given up after the last retry, by sink."),
            meter.CreateCounter<long>("floxide.alerts.coalesced", "{notification}", "Reminders not queued because one of the same alert was still queued, by sink."));
        workers = [.. sinks.Select(sink => new SinkWorker(this, sink, options, timeProvider, instruments, jitter))];
        foreach (var worker in workers)
        {
            worker.Start(stopping.Token);
        }
    }

    /// <summary>The sinks' names, in delivery order.</summary>
    public IEnumerable<string> Sinks => workers.Select(worker => worker.Sink.Name);

    /// <summary>Delivery figures per sink.</summary>
    public IReadOnlyList<AlertSinkStatistics> Statistics => [.. workers.Select(worker => worker.Statistics)];

    /// <summary>Queues <paramref name="notification"/> for every sink; never waits, and drops only a reminder that one already queued makes redundant.</summary>
    /// <param name="notification">The notification.</param>
    public void Publish(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        foreach (var worker in workers)
        {
            worker.Enqueue(notification);
        }
    }

    /// <summary>Waits until every notification queued so far has been delivered or given up by every sink.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the queues are drained.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(workers.Select(worker => worker.FlushAsync(cancellationToken)));

    /// <summary>Delivers what is queued, then stops; deliveries still retrying when <paramref name="cancellationToken"/> fires are abandoned. Does nothing once disposed.</summary>
    /// <param name="cancellationToken">Ends the wait for the queues to drain.</param>
    /// <returns>A task that completes when every loop has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref disposed))
        {
            return;
        }

        foreach (var worker in workers)
        {
            worker.Complete();
        }

        using var registration = cancellationToken.Register(stopping.Cancel);
        await Task.WhenAll(workers.Select(worker => worker.Loop)).ConfigureAwait(false);
    }

    /// <summary>Stops as <see cref="StopAsync"/> does, giving the queues <see cref="DrainTimeout"/> to drain.</summary>
    /// <returns>A task that completes when every loop has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(DrainTimeout, timeProvider);
        await StopAsync(timeout.Token).ConfigureAwait(false);
        Volatile.Write(ref disposed, true);
        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert sink {Sink} failed to deliver {AlertId} (attempt {Attempt} threw or timed out); retrying in {Delay}.")]
    private partial void LogRetry(Exception? exception, string sink, string alertId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert sink {Sink} gave up on notification #{Sequence} ({AlertId} {Transition}) after every retry; counted in floxide.alerts.given_up.")]
    private partial void LogGivenUp(Exception exception, string sink, long sequence, string alertId, AlertTransition transition);

    private readonly record struct Work(AlertNotification? Notification, TaskCompletionSource? Flushed);

    private sealed record Instruments(Counter<long> Delivered, Counter<long> Failures, Counter<long> GivenUp, Counter<long> Coalesced);

    private sealed class SinkWorker
    {
        private readonly AlertDispatcher owner;
        private readonly Channel<Work> queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Dictionary<string, int> queuedReminders = new(StringComparer.Ordinal);
        private readonly ResiliencePipeline pipeline;
        private readonly Instruments instruments;
        private readonly KeyValuePair<string, object?> sinkTag;
        private long delivered;
        private long failedAttempts;
        private long givenUp;
        private long pending;
        private long coalesced;

        public SinkWorker(AlertDispatcher owner, IAlertSink sink, AlertDeliveryOptions options, TimeProvider timeProvider, Instruments instruments, bool jitter)
        {
            this.owner = owner;
            Sink = sink;
            this.instruments = instruments;
            sinkTag = new("sink", sink.Name);
            var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
            if (options.MaxRetryAttempts > 0)
            {
                builder.AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetryAttempts,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = jitter && options.RetryDelay > TimeSpan.Zero,
                    Delay = options.RetryDelay,
                    MaxDelay = options.MaxRetryDelay,
                    // A timed-out attempt (TimeoutRejectedException) is a failure like any other; only our own stop is not.
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(exception => exception is not OperationCanceledException),
                    OnRetry = arguments =>
                    {
                        CountFailure();
                        owner.LogRetry(arguments.Outcome.Exception, Sink.Name, CurrentAlertId, arguments.AttemptNumber + 1, arguments.RetryDelay);
                        return ValueTask.CompletedTask;
                    },
                });
            }

            // Added after the retry, so it sits inside it: each attempt gets its own budget.
            builder.AddTimeout(options.AttemptTimeout);
            pipeline = builder.Build();
        }

        public IAlertSink Sink { get; }

        public Task Loop { get; private set; } = Task.CompletedTask;

        public AlertSinkStatistics Statistics => new(Sink.Name, Interlocked.Read(ref delivered), Interlocked.Read(ref failedAttempts),
            Interlocked.Read(ref givenUp), Interlocked.Read(ref pending), Interlocked.Read(ref coalesced));

        private string CurrentAlertId { get; set; } = string.Empty;

        public void Start(CancellationToken stopping) => Loop = Task.Run(() => RunAsync(stopping), CancellationToken.None);

        public void Enqueue(AlertNotification notification)
        {
            if (notification.Transition == AlertTransition.Renotified)
            {
                lock (queuedReminders)
                {
                    ref var queued = ref CollectionsMarshal.GetValueRefOrAddDefault(queuedReminders, notification.Alert.Id, out _);
                    if (queued > 0 && Interlocked.Read(ref pending) >= ReminderCoalescingBacklog)
                    {
                        Interlocked.Increment(ref coalesced);
                        if (instruments.Coalesced.Enabled)
                        {
                            instruments.Coalesced.Add(1, sinkTag);
                        }

                        return;
                    }

                    queued++;
                }
            }

            Interlocked.Increment(ref pending);
            if (!queue.Writer.TryWrite(new Work(notification, null)))
            {
                Interlocked.Decrement(ref pending);
            }
        }

        public Task FlushAsync(CancellationToken cancellationToken)
        {
            var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return queue.Writer.TryWrite(new Work(null, flushed)) ? flushed.Task.WaitAsync(cancellationToken) : Loop.WaitAsync(cancellationToken);
        }

        public void Complete() => queue.Writer.TryComplete();

        private async Task RunAsync(CancellationToken stopping)
        {
            var reader = queue.Reader;
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (reader.TryRead(out var work))
                {
                    if (work.Flushed is { } flushed)
                    {
                        flushed.TrySetResult();
                        continue;
                    }

                    var notification = work.Notification!;
                    if (notification.Transition == AlertTransition.Renotified)
                    {
                        // Out of the queue now: the next reminder of this alert may be queued again.
                        lock (queuedReminders)
                        {
                            if (--CollectionsMarshal.GetValueRefOrNullRef(queuedReminders, notification.Alert.Id) == 0)
                            {
                                queuedReminders.Remove(notification.Alert.Id);
                            }
                        }
                    }

                    await DeliverAsync(notification, stopping).ConfigureAwait(false);
                    Interlocked.Decrement(ref pending);
                }
            }
        }

        private async Task DeliverAsync(AlertNotification notification, CancellationToken stopping)
        {
            CurrentAlertId = notification.Alert.Id;
            try
            {
                await pipeline.ExecuteAsync(
                    static (state, token) => state.Sink.PublishAsync(state.notification, token),
                    (Sink, notification),
                    stopping).ConfigureAwait(false);
                Interlocked.Increment(ref delivered);
                if (instruments.Delivered.Enabled)
                {
                    instruments.Delivered.Add(1, sinkTag);
                }
            }
            catch (Exception exception)
            {
                if (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    CountFailure();
                }

                Interlocked.Increment(ref givenUp);
                if (instruments.GivenUp.Enabled)
                {
                    instruments.GivenUp.Add(1, sinkTag);
                }

                owner.LogGivenUp(exception, Sink.Name, notification.Sequence, notification.Alert.Id, notification.Transition);
            }
        }

        private void CountFailure()
        {
            Interlocked.Increment(ref failedAttempts);
            if (instruments.Failures.Enabled)
            {
                instruments.Failures.Add(1, sinkTag);
            }
        }
    }
}
