using System.Diagnostics.Metrics;
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
public readonly record struct AlertSinkStatistics(string Sink, long Delivered, long FailedAttempts, long GivenUp, long Pending);

/// <summary>
/// Hands alert notifications to every <see cref="IAlertSink"/> without ever blocking the caller: each sink has its own
/// unbounded queue and delivery loop, so a slow or failing sink delays neither the workflow loop nor the other sinks.
/// A sink that throws is retried with exponential back-off (Polly), and every failure is counted.
/// </summary>
/// <remarks>
/// <para>Queues are unbounded on purpose: alerts are never dropped for lack of room. They are few (a transition per
/// condition, a reminder per interval), so memory stays small even when a sink is down for long; the readings
/// channel, bounded, is what gives way under load.</para>
/// <para><see cref="Publish"/> is thread-safe.</para>
/// </remarks>
public sealed partial class AlertDispatcher : IAsyncDisposable
{
    private readonly SinkWorker[] workers;
    private readonly CancellationTokenSource stopping = new();
    private readonly ILogger<AlertDispatcher> logger;

    /// <summary>Creates the dispatcher and starts a delivery loop per sink.</summary>
    /// <param name="sinks">The sinks.</param>
    /// <param name="options">How failing sinks are retried.</param>
    /// <param name="timeProvider">The clock for back-off delays.</param>
    /// <param name="logger">Logs failed and given-up deliveries.</param>
    /// <param name="meter">The meter for <c>floxide.alerts.delivered</c>, <c>floxide.alerts.sink.failures</c> and <c>floxide.alerts.given_up</c>.</param>
    public AlertDispatcher(IEnumerable<IAlertSink> sinks, AlertDeliveryOptions options, TimeProvider timeProvider, ILogger<AlertDispatcher> logger, Meter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger;
        meter ??= EdgeMeter.Default;
        var delivered = meter.CreateCounter<long>("floxide.alerts.delivered", "{notification}", "Alert notifications delivered, by sink.");
        var failures = meter.CreateCounter<long>("floxide.alerts.sink.failures", "{attempt}", "Alert deliveries that threw, by sink.");
        var givenUp = meter.CreateCounter<long>("floxide.alerts.given_up", "{notification}", "Alert notifications given up after the last retry, by sink.");
        workers = [.. sinks.Select(sink => new SinkWorker(this, sink, options, timeProvider, delivered, failures, givenUp))];
        foreach (var worker in workers)
        {
            worker.Start(stopping.Token);
        }
    }

    /// <summary>The sinks' names, in delivery order.</summary>
    public IEnumerable<string> Sinks => workers.Select(worker => worker.Sink.Name);

    /// <summary>Delivery figures per sink.</summary>
    public IReadOnlyList<AlertSinkStatistics> Statistics => [.. workers.Select(worker => worker.Statistics)];

    /// <summary>Queues <paramref name="notification"/> for every sink; never waits and never drops.</summary>
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

    /// <summary>Delivers what is queued, then stops; deliveries still retrying when <paramref name="cancellationToken"/> fires are abandoned.</summary>
    /// <param name="cancellationToken">Ends the wait for the queues to drain.</param>
    /// <returns>A task that completes when every loop has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        foreach (var worker in workers)
        {
            worker.Complete();
        }

        using var registration = cancellationToken.Register(stopping.Cancel);
        await Task.WhenAll(workers.Select(worker => worker.Loop)).ConfigureAwait(false);
    }

    /// <summary>Stops as <see cref="StopAsync"/> does, giving the queues 5 seconds to drain.</summary>
    /// <returns>A task that completes when every loop has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await StopAsync(timeout.Token).ConfigureAwait(false);
        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert sink {Sink} failed to deliver {AlertId} (attempt {Attempt}); retrying in {Delay}.")]
    private partial void LogRetry(Exception? exception, string sink, string alertId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert sink {Sink} gave up on notification #{Sequence} ({AlertId} {Transition}) after every retry; counted in floxide.alerts.given_up.")]
    private partial void LogGivenUp(Exception exception, string sink, long sequence, string alertId, AlertTransition transition);

    private readonly record struct Work(AlertNotification? Notification, TaskCompletionSource? Flushed);

    private sealed class SinkWorker
    {
        private readonly AlertDispatcher owner;
        private readonly Channel<Work> queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
        private readonly ResiliencePipeline pipeline;
        private readonly Counter<long> deliveredCounter;
        private readonly Counter<long> failuresCounter;
        private readonly Counter<long> givenUpCounter;
        private readonly KeyValuePair<string, object?> sinkTag;
        private long delivered;
        private long failedAttempts;
        private long givenUp;
        private long pending;

        public SinkWorker(AlertDispatcher owner, IAlertSink sink, AlertDeliveryOptions options, TimeProvider timeProvider,
            Counter<long> delivered, Counter<long> failures, Counter<long> givenUp)
        {
            this.owner = owner;
            Sink = sink;
            deliveredCounter = delivered;
            failuresCounter = failures;
            givenUpCounter = givenUp;
            sinkTag = new("sink", sink.Name);
            var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
            if (options.MaxRetryAttempts > 0)
            {
                builder.AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetryAttempts,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = options.RetryDelay > TimeSpan.Zero,
                    Delay = options.RetryDelay,
                    MaxDelay = options.MaxRetryDelay,
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(exception => exception is not OperationCanceledException),
                    OnRetry = arguments =>
                    {
                        CountFailure();
                        owner.LogRetry(arguments.Outcome.Exception, Sink.Name, CurrentAlertId, arguments.AttemptNumber + 1, arguments.RetryDelay);
                        return ValueTask.CompletedTask;
                    },
                });
            }

            pipeline = builder.Build();
        }

        public IAlertSink Sink { get; }

        public Task Loop { get; private set; } = Task.CompletedTask;

        public AlertSinkStatistics Statistics => new(Sink.Name, Interlocked.Read(ref delivered), Interlocked.Read(ref failedAttempts),
            Interlocked.Read(ref givenUp), Interlocked.Read(ref pending));

        private string CurrentAlertId { get; set; } = string.Empty;

        public void Start(CancellationToken stopping) => Loop = Task.Run(() => RunAsync(stopping), CancellationToken.None);

        public void Enqueue(AlertNotification notification)
        {
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

                    await DeliverAsync(work.Notification!, stopping).ConfigureAwait(false);
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
                if (deliveredCounter.Enabled)
                {
                    deliveredCounter.Add(1, sinkTag);
                }
            }
            catch (Exception exception)
            {
                if (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    CountFailure();
                }

                Interlocked.Increment(ref givenUp);
                if (givenUpCounter.Enabled)
                {
                    givenUpCounter.Add(1, sinkTag);
                }

                owner.LogGivenUp(exception, Sink.Name, notification.Sequence, notification.Alert.Id, notification.Transition);
            }
        }

        private void CountFailure()
        {
            Interlocked.Increment(ref failedAttempts);
            if (failuresCounter.Enabled)
            {
                failuresCounter.Add(1, sinkTag);
            }
        }
    }
}
