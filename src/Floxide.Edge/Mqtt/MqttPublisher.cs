using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Floxide.Edge.Outbox;
using Floxide.Edge.Readings;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// Publishes readings and alerts, and loses none: while connected each message goes straight to the broker (QoS 1,
/// a window of them in flight); while not, or while a backlog drains, it goes to the <see cref="OutboxStore"/> in
/// batches. A reading's <see cref="SensorReading.Receipt"/> completes only after the broker's PUBACK or the outbox
/// commit, so the MQTT ingest acknowledges its input only then. After a reconnect the outbox drains alerts first,
/// then readings in their original order, at <see cref="MqttPublishOptions.DrainRatePerSecond"/>; live messages queue
/// behind the backlog, so each sensor's readings stay in order.
/// </summary>
/// <remarks>
/// <see cref="WriteAsync"/> and <see cref="PublishAlertAsync"/> are thread-safe and return once the message is
/// queued; a full queue makes them wait (backpressure to the workflow).
/// </remarks>
public sealed partial class MqttPublisher : IReadingSink, IAsyncDisposable
{
    private const string ReadingKind = "reading";
    private const string AlertKind = "alert";

    private readonly MqttOptions options;
    private readonly OutboxOptions outboxOptions;
    private readonly MqttConnection connection;
    private readonly OutboxStore outbox;
    private readonly ILogger<MqttPublisher> logger;
    private readonly TimeProvider timeProvider;
    private readonly MqttMetrics metrics;
    private readonly Channel<Outgoing> queue;
    private readonly SemaphoreSlim window;
    private readonly Lock modeGate = new();
    private readonly List<Outgoing> buffered = [];
    private readonly List<Outgoing> failed = [];
    private readonly SemaphoreSlim storeGate = new(1, 1);
    private readonly TimeoutBuckets ackTimeouts;
    private readonly Dictionary<string, Dictionary<string, MqttAlert>> activeAlerts = new(StringComparer.Ordinal);
    private readonly Lock alertGate = new();
    private TaskCompletionSource backlogSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool backlog;
    private long pacedUpTo;
    private CancellationTokenSource? stopping;
    private Task? dispatcher;
    private Task? drainer;
    private long published;
    private int flushScheduled;

    /// <summary>Creates the publisher; call <see cref="StartAsync"/> before writing.</summary>
    /// <param name="options">The MQTT options.</param>
    /// <param name="outboxOptions">The outbox options (batching).</param>
    /// <param name="connection">The broker connection, not yet started.</param>
    /// <param name="outbox">The outbox, opened.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock for batching and the drain rate.</param>
    /// <param name="meter">The gateway's meter.</param>
    public MqttPublisher(
        MqttOptions options,
        OutboxOptions outboxOptions,
        MqttConnection connection,
        OutboxStore outbox,
        ILogger<MqttPublisher> logger,
        TimeProvider timeProvider,
        Meter meter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outboxOptions);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.options = options;
        this.outboxOptions = outboxOptions;
        this.connection = connection;
        this.outbox = outbox;
        this.logger = logger;
        this.timeProvider = timeProvider;
        metrics = new MqttMetrics(meter);
        queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.Publish.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        window = new SemaphoreSlim(options.Publish.MaxInFlight, options.Publish.MaxInFlight);
        ackTimeouts = new TimeoutBuckets(options.Publish.AckTimeout, timeProvider, TimeSpan.FromSeconds(1));
        backlog = outbox.Count > 0;
        // What was produced before the connection came (back) is the outage's backlog, drained at the paced rate.
        connection.OnConnected((_, _) =>
        {
            Interlocked.Exchange(ref pacedUpTo, outbox.LastOrdinal);
            return Task.CompletedTask;
        });
        if (backlog)
        {
            backlogSignal.TrySetResult();
        }
    }

    /// <summary>Messages the broker has acknowledged since start (live and from the outbox).</summary>
    public long Published => Interlocked.Read(ref published);

    /// <summary>Whether messages currently go to the outbox (offline, or a backlog is draining).</summary>
    public bool IsBacklogged
    {
        get
        {
            lock (modeGate)
            {
                return backlog;
            }
        }
    }

    /// <summary>The outbox behind this publisher.</summary>
    public OutboxStore Outbox => outbox;

    /// <summary>Starts the dispatch and drain loops.</summary>
    /// <param name="cancellationToken">Not used; the loops run until <see cref="StopAsync"/>.</param>
    /// <returns>A completed task.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (stopping is not null)
        {
            throw new InvalidOperationException("The MQTT publisher is already started.");
        }

        stopping = new CancellationTokenSource();
        dispatcher = Task.Run(() => DispatchAsync(stopping.Token), CancellationToken.None);
        drainer = Task.Run(() => DrainAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops taking messages, waits (up to the PUBACK timeout) for those in flight, and stores everything not yet
    /// acknowledged in the outbox, so a clean shutdown loses nothing.
    /// </summary>
    /// <param name="cancellationToken">Not used; stopping always ends with the outbox flushed.</param>
    /// <returns>A task that completes when everything is published or stored.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (stopping is null || dispatcher is null || drainer is null)
        {
            return;
        }

        queue.Writer.TryComplete();
        await dispatcher.ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        await drainer.ConfigureAwait(false);
        await WaitForWindowAsync(CancellationToken.None).ConfigureAwait(false);
        ReleaseWindow();
        await FlushAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(SensorReading reading, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var message = new Outgoing(
            OutboxMessageKind.Reading, connection.Topics.State(reading.SensorId), MqttPayloads.Reading(reading, options.GatewayId),
            Retain: false, reading.Timestamp, reading.Receipt);
        return EnqueueAsync(message, cancellationToken);
    }

    /// <summary>
    /// Publishes an alert transition: the event on the sensor's alert event topic, then the sensor's new current
    /// alert state (retained). Both are never dropped.
    /// </summary>
    /// <param name="alert">The alert transition.</param>
    /// <param name="cancellationToken">Cancels the hand-over.</param>
    /// <returns>A task that completes when both messages are queued.</returns>
    public async ValueTask PublishAlertAsync(MqttAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        byte[] state;
        lock (alertGate)
        {
            if (!activeAlerts.TryGetValue(alert.SensorId, out var active))
            {
                activeAlerts[alert.SensorId] = active = new Dictionary<string, MqttAlert>(StringComparer.Ordinal);
            }

            if (alert.IsActive)
            {
                active[alert.Key] = alert;
            }
            else
            {
                active.Remove(alert.Key);
            }

            state = MqttPayloads.AlertState(alert.SensorId, options.GatewayId, active.Values, alert.Timestamp);
        }

        var topics = connection.Topics;
        await EnqueueAsync(new Outgoing(OutboxMessageKind.Alert, topics.AlertEvent(alert.SensorId), MqttPayloads.AlertEvent(alert, options.GatewayId), false, alert.Timestamp, null), cancellationToken).ConfigureAwait(false);
        await EnqueueAsync(new Outgoing(OutboxMessageKind.Alert, topics.Alert(alert.SensorId), state, true, alert.Timestamp, null), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stopping?.Dispose();
        window.Dispose();
        storeGate.Dispose();
        ackTimeouts.Dispose();
    }

    private ValueTask EnqueueAsync(Outgoing message, CancellationToken cancellationToken)
    {
        message.Ordinal = outbox.NextOrdinal();
        return queue.Writer.TryWrite(message) ? ValueTask.CompletedTask : queue.Writer.WriteAsync(message, cancellationToken);
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        var reader = queue.Reader;
        try
        {
            while (true)
            {
                if (!reader.TryRead(out var message))
                {
                    if (!await WaitForMessageOrFlushAsync(reader).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                if (TryBuffer(message))
                {
                    if (BufferedCount() >= outboxOptions.BatchSize)
                    {
                        await FlushAsync().ConfigureAwait(false);
                    }

                    continue;
                }

                await window.WaitAsync(cancellationToken).ConfigureAwait(false);
                _ = PublishLiveAsync(message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Whatever is still queued at shutdown goes to the outbox.
            while (reader.TryRead(out var left))
            {
                lock (modeGate)
                {
                    buffered.Add(left);
                }
            }
        }
    }

    private async ValueTask<bool> WaitForMessageOrFlushAsync(ChannelReader<Outgoing> reader)
    {
        if (BufferedCount() == 0)
        {
            return await reader.WaitToReadAsync().ConfigureAwait(false);
        }

        // Messages are waiting for the outbox: give more a chance to share the transaction, then commit.
        var more = reader.WaitToReadAsync().AsTask();
        var delay = Task.Delay(outboxOptions.FlushInterval, timeProvider);
        if (await Task.WhenAny(more, delay).ConfigureAwait(false) == delay)
        {
            await FlushAsync().ConfigureAwait(false);
            return await more.ConfigureAwait(false);
        }

        return await more.ConfigureAwait(false);
    }

    private bool TryBuffer(Outgoing message)
    {
        lock (modeGate)
        {
            if (!backlog && connection.IsConnected)
            {
                return false;
            }

            EnterBacklog();
            buffered.Add(message);
            return true;
        }
    }

    private int BufferedCount()
    {
        lock (modeGate)
        {
            return buffered.Count + failed.Count;
        }
    }

    private async Task PublishLiveAsync(Outgoing message)
    {
        try
        {
            var outcome = await SendAsync(message.Topic, message.Payload, message.Retain, message.Kind).ConfigureAwait(false);
            if (outcome == SendOutcome.Failed)
            {
                lock (modeGate)
                {
                    EnterBacklog();
                    failed.Add(message);
                }

                ScheduleFlush();
                return;
            }

            metrics.PublishSucceeded(KindName(message.Kind), "live");
            message.Receipt?.Complete();
        }
        finally
        {
            window.Release();
        }
    }

    private async Task<SendOutcome> SendAsync(string topic, byte[] payload, bool retain, OutboxMessageKind kind)
    {
        // Built directly: the builder is one more allocation per message and checks nothing this topic needs.
        var mqttMessage = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = new System.Buffers.ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            Retain = retain,
        };
        try
        {
            var result = await connection.PublishAsync(mqttMessage, ackTimeouts.Next()).ConfigureAwait(false);
            Interlocked.Increment(ref published);
            if (!result.IsSuccess)
            {
                // The broker took the message and refused it (ACL): sending it again cannot help and would block the outbox.
                LogRefused(logger, topic, result.ReasonCode.ToString());
                metrics.PublishFailed(KindName(kind));
            }

            return SendOutcome.Acknowledged;
        }
        catch (Exception exception) when (exception is MqttCommunicationException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            metrics.PublishFailed(KindName(kind));
            return SendOutcome.Failed;
        }
    }

    /// <summary>
    /// Stores failed messages within a flush interval even if nothing else arrives to wake the dispatcher: the
    /// failures of one dropped connection share one transaction.
    /// </summary>
    private void ScheduleFlush()
    {
        if (Interlocked.Exchange(ref flushScheduled, 1) == 0)
        {
            _ = FlushLaterAsync();
        }
    }

    private async Task FlushLaterAsync()
    {
        await Task.Delay(outboxOptions.FlushInterval, timeProvider).ConfigureAwait(false);
        Volatile.Write(ref flushScheduled, 0);
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Stopped meanwhile: StopAsync has flushed already.
        }
    }

    private void EnterBacklog()
    {
        if (!backlog)
        {
            backlog = true;
            backlogSignal.TrySetResult();
        }
    }

    private async Task FlushAsync()
    {
        List<Outgoing> batch;
        lock (modeGate)
        {
            if (buffered.Count == 0 && failed.Count == 0)
            {
                return;
            }

            batch = [.. buffered, .. failed];
            buffered.Clear();
            failed.Clear();
        }

        batch.Sort(static (a, b) => a.Ordinal.CompareTo(b.Ordinal));
        await storeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            for (var start = 0; start < batch.Count; start += outboxOptions.BatchSize)
            {
                var slice = batch.GetRange(start, Math.Min(outboxOptions.BatchSize, batch.Count - start));
                outbox.Append([.. slice.Select(m => new OutboxMessage(m.Ordinal, m.Kind, m.Topic, m.Payload, m.Retain, m.Timestamp))]);
                foreach (var message in slice)
                {
                    message.Stored = true;
                    message.Receipt?.Complete();
                }
            }
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            // Not stored (disk full, card failing): keep the messages and try again at the next flush; their receipts
            // stay open meanwhile, so the ingest does not acknowledge their inputs.
            LogStoreFailed(logger, exception, batch.Count);
            lock (modeGate)
            {
                failed.AddRange(batch.Where(m => !m.Stored));
            }
        }
        finally
        {
            storeGate.Release();
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Volatile.Read(ref backlogSignal).Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                await connection.WaitUntilConnectedAsync(cancellationToken).ConfigureAwait(false);
                await WaitForWindowAsync(cancellationToken).ConfigureAwait(false);
                bool drained;
                try
                {
                    drained = await DrainBacklogAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    ReleaseWindow();
                }

                if (!drained)
                {
                    // The connection dropped mid-drain: give the connection loop time to notice before trying again.
                    await Task.Delay(options.Reconnect.InitialDelay, timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> DrainBacklogAsync(CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        long paced = 0;
        long sent = 0;
        var rate = options.Publish.DrainRatePerSecond;
        // Only what was produced while disconnected is paced: messages that queue behind it after the reconnect are
        // live traffic, sent at their own rate, or a busy gateway would never catch up with its backlog.
        var backlogEnd = Interlocked.Read(ref pacedUpTo);
        var logged = false;
        using var drainWindow = new SemaphoreSlim(Math.Min(options.Publish.MaxInFlight, connection.BrokerReceiveMaximum ?? int.MaxValue));
        while (connection.IsConnected && !cancellationToken.IsCancellationRequested)
        {
            await FlushAsync().ConfigureAwait(false);
            var batch = outbox.Peek(outboxOptions.BatchSize);
            if (batch.Count == 0)
            {
                lock (modeGate)
                {
                    if (buffered.Count == 0 && failed.Count == 0)
                    {
                        backlog = false;
                        Volatile.Write(ref backlogSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                        LogDrained(logger, sent);
                        return true;
                    }
                }

                continue;
            }

            if (!logged)
            {
                LogDraining(logger, outbox.AlertCount, outbox.ReadingCount, rate);
                logged = true;
            }

            var sends = new List<Task<SendOutcome>>(batch.Count);
            foreach (var message in batch)
            {
                if (message.Ordinal <= backlogEnd)
                {
                    // Pace against the start of the drain, so the average rate holds without a timer per message.
                    var due = TimeSpan.FromSeconds((double)paced / rate) - timeProvider.GetElapsedTime(started);
                    if (due > TimeSpan.FromMilliseconds(10))
                    {
                        await Task.Delay(due, timeProvider, cancellationToken).ConfigureAwait(false);
                    }

                    paced++;
                }

                await drainWindow.WaitAsync(cancellationToken).ConfigureAwait(false);
                sends.Add(SendReleasingAsync(message, drainWindow));
                sent++;
            }

            var outcomes = await Task.WhenAll(sends).ConfigureAwait(false);
            var acknowledged = batch.Where((_, i) => outcomes[i] == SendOutcome.Acknowledged).ToList();
            foreach (var message in acknowledged)
            {
                metrics.PublishSucceeded(KindName(message.Kind), "outbox");
            }

            await storeGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                outbox.Delete(acknowledged);
            }
            finally
            {
                storeGate.Release();
            }

            if (acknowledged.Count < batch.Count)
            {
                // The connection is gone; the rest stays stored and is sent again, in order, after the reconnect.
                return false;
            }
        }

        return false;
    }

    private async Task<SendOutcome> SendReleasingAsync(OutboxMessage message, SemaphoreSlim drainWindow)
    {
        try
        {
            return await SendAsync(message.Topic, message.Payload, message.Retain, message.Kind).ConfigureAwait(false);
        }
        finally
        {
            drainWindow.Release();
        }
    }

    private async Task WaitForWindowAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < options.Publish.MaxInFlight; i++)
        {
            await window.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void ReleaseWindow() => window.Release(options.Publish.MaxInFlight);

    private static string KindName(OutboxMessageKind kind) => kind == OutboxMessageKind.Alert ? AlertKind : ReadingKind;

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "MQTT publish: sending the outbox backlog ({Alerts} alert(s) first, then {Readings} reading(s)) at up to {Rate} messages/s")]
    private static partial void LogDraining(ILogger logger, long alerts, long readings, int rate);

    [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "MQTT publish: outbox backlog sent ({Count} message(s)); publishing live again")]
    private static partial void LogDrained(ILogger logger, long count);

    [LoggerMessage(EventId = 132, Level = LogLevel.Error, Message = "MQTT publish: the broker refused a message on '{Topic}' ({ReasonCode}); check its ACL. The message is dropped")]
    private static partial void LogRefused(ILogger logger, string topic, string reasonCode);

    [LoggerMessage(EventId = 133, Level = LogLevel.Error, Message = "MQTT publish: storing {Count} message(s) in the outbox failed; their inputs stay unacknowledged")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, int count);

    private enum SendOutcome
    {
        Acknowledged,
        Failed,
    }

    private sealed record Outgoing(OutboxMessageKind Kind, string Topic, byte[] Payload, bool Retain, DateTimeOffset Timestamp, IReadingReceipt? Receipt)
    {
        public long Ordinal { get; set; }

        public bool Stored { get; set; }
    }
}
