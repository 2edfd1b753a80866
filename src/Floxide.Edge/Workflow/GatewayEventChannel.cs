using System.Diagnostics.Metrics;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Telemetry;
using Floxide.Events;

namespace Floxide.Edge.Workflow;

/// <summary>
/// The gateway's one event queue: a <see cref="ChannelEventSource{TEvent}"/> that every sensor source, MQTT
/// subscription and the timer feed, with a policy that lets readings give way first. Readings hold at most
/// <see cref="GatewayWorkflowOptions.ReadingCapacity"/> slots, counted by a semaphore released as the workflow takes
/// each reading; faults, status changes and ticks may use every slot, so they always find room that readings
/// cannot take. The channel itself waits when full: nothing already queued is ever dropped.
/// </summary>
/// <remarks>Thread-safe for any number of producers.</remarks>
public sealed class GatewayEventChannel : IDisposable
{
    /// <summary>The source id of the queue in the workflow.</summary>
    public const string SourceId = "events";

    private readonly SemaphoreSlim readingSlots;
    private readonly Counter<long> droppedCounter;
    private long droppedReadings;

    /// <summary>Creates the queue.</summary>
    /// <param name="options">Capacities.</param>
    /// <param name="meter">The meter for <c>floxide.readings.dropped</c>.</param>
    public GatewayEventChannel(GatewayWorkflowOptions options, Meter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReadingCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ControlCapacity, 1);
        ReadingCapacity = options.ReadingCapacity;
        readingSlots = new SemaphoreSlim(options.ReadingCapacity, options.ReadingCapacity);
        Source = new ChannelEventSource<GatewayEvent>(SourceId, options.ReadingCapacity + options.ControlCapacity, ChannelFullMode.Wait, meter: meter);
        droppedCounter = (meter ?? EdgeMeter.Default).CreateCounter<long>("floxide.readings.dropped", "{reading}", "Readings refused because the queue's reading slots were full.");
    }

    /// <summary>The workflow's source.</summary>
    public ChannelEventSource<GatewayEvent> Source { get; }

    /// <summary>The most readings queued at once.</summary>
    public int ReadingCapacity { get; }

    /// <summary>Readings queued and not yet taken by the workflow.</summary>
    public int QueuedReadings => ReadingCapacity - readingSlots.CurrentCount;

    /// <summary>Readings refused by <see cref="TryWriteReading"/> since start.</summary>
    public long DroppedReadings => Interlocked.Read(ref droppedReadings);

    /// <summary>
    /// Queues a reading if a reading slot is free; otherwise refuses it and counts it in
    /// <c>floxide.readings.dropped</c>. For pollers, whose next read supersedes this one. The receipt of a refused
    /// reading is not completed: the caller still owns it.
    /// </summary>
    /// <param name="reading">The reading.</param>
    /// <returns><see langword="false"/> when refused (full, or the queue completed).</returns>
    public bool TryWriteReading(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (readingSlots.Wait(0))
        {
            if (Source.TryWrite(reading))
            {
                return true;
            }

            readingSlots.Release();
        }

        Interlocked.Increment(ref droppedReadings);
        if (droppedCounter.Enabled)
        {
            droppedCounter.Add(1, new KeyValuePair<string, object?>(FloxideTelemetry.Tags.SensorId, reading.SensorId));
        }

        return false;
    }

    /// <summary>
    /// Queues a reading, waiting for a reading slot: for producers that must not lose it (MQTT QoS 1 ingest), whose
    /// wait pushes back on the broker.
    /// </summary>
    /// <param name="reading">The reading.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the reading is queued.</returns>
    /// <exception cref="System.Threading.Channels.ChannelClosedException">The queue is completed.</exception>
    public async ValueTask WriteReadingAsync(SensorReading reading, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reading);
        await readingSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Source.WriteAsync(reading, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            readingSlots.Release();
            throw;
        }
    }

    /// <summary>
    /// Queues any event: a reading through <see cref="WriteReadingAsync"/>; a fault, status change or tick directly,
    /// waiting only if the whole queue is full.
    /// </summary>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    public ValueTask WriteAsync(GatewayEvent @event, CancellationToken cancellationToken = default) =>
        @event is SensorReading reading ? WriteReadingAsync(reading, cancellationToken) : Source.WriteAsync(@event, cancellationToken);

    /// <summary>Forwards the ticks of <paramref name="timer"/> into the queue as <see cref="GatewayTick"/> events.</summary>
    /// <param name="timer">The timer source.</param>
    /// <param name="cancellationToken">Stops the forwarding.</param>
    /// <returns>A task that completes when the timer is disposed, or is cancelled.</returns>
    public Task ForwardTicksAsync(TimerEventSource timer, CancellationToken cancellationToken = default) =>
        timer.ForwardToAsync(Source, static tick => new GatewayTick(tick.Timestamp), cancellationToken);

    /// <summary>Takes no more events; the workflow ends once the queued ones are processed.</summary>
    /// <returns><see langword="false"/> when already completed.</returns>
    public bool Complete() => Source.Complete();

    /// <summary>Releases the reading-slot semaphore; complete the channel first.</summary>
    public void Dispose() => readingSlots.Dispose();

    /// <summary>Frees the slot of a reading the workflow has taken off the queue.</summary>
    internal void ReadingTaken() => readingSlots.Release();
}
