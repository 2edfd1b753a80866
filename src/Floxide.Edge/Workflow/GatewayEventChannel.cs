using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Telemetry;
using Floxide.Events;

namespace Floxide.Edge.Workflow;

/// <summary>
/// The gateway's one event queue: the workflow's source, which every sensor source, MQTT subscription and the timer
/// feed through <see cref="IGatewayEventWriter"/>, with a policy that lets readings give way first. Readings hold at
/// most <see cref="GatewayWorkflowOptions.ReadingCapacity"/> slots, counted by a semaphore that the queue releases as
/// the workflow takes each reading; faults, status changes and ticks may use every slot, so they always find room that
/// readings cannot take. The channel itself waits when full: nothing already queued is ever dropped.
/// </summary>
/// <remarks>
/// The channel underneath is not exposed: every reading enters through a member that takes a reading slot, which is
/// what lets the queue free exactly one slot per reading it hands to the workflow. Writing members are thread-safe
/// for any number of producers; <see cref="WaitForEventAsync"/> is for the workflow's one loop.
/// </remarks>
public sealed class GatewayEventChannel : IGatewayEventWriter, IEventSource<GatewayEvent>, IDisposable
{
    /// <summary>The source id of the queue in the workflow.</summary>
    public const string SourceId = "events";

    private readonly ChannelEventSource<GatewayEvent> events;
    private readonly SemaphoreSlim readingSlots;
    private readonly SensorDirectory? directory;
    private readonly Counter<long> droppedCounter;
    private long droppedReadings;

    /// <summary>Creates the queue.</summary>
    /// <param name="options">Capacities.</param>
    /// <param name="meter">The meter for <c>floxide.readings.dropped</c> and the channel's own instruments.</param>
    /// <param name="directory">
    /// The known sensors: a dropped reading of a sensor not in it is tagged <c>sensor.id=unknown</c>, so stray ids cannot
    /// grow the metric's series. Null tags every id as given.
    /// </param>
    public GatewayEventChannel(GatewayWorkflowOptions options, Meter? meter = null, SensorDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReadingCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ControlCapacity, 1);
        ReadingCapacity = options.ReadingCapacity;
        this.directory = directory;
        readingSlots = new SemaphoreSlim(options.ReadingCapacity, options.ReadingCapacity);
        events = new ChannelEventSource<GatewayEvent>(SourceId, options.ReadingCapacity + options.ControlCapacity, ChannelFullMode.Wait, meter: meter);
        droppedCounter = (meter ?? EdgeMeter.Default).CreateCounter<long>("floxide.readings.dropped", "{reading}", "Readings refused because the queue's reading slots were full.");
    }

    /// <inheritdoc/>
    public string Id => SourceId;

    /// <summary>The most readings queued at once.</summary>
    public int ReadingCapacity { get; }

    /// <summary>Readings queued and not yet taken by the workflow.</summary>
    public int QueuedReadings => ReadingCapacity - readingSlots.CurrentCount;

    /// <summary>Events of every kind queued and not yet taken by the workflow.</summary>
    public int QueuedEvents => events.Count;

    /// <summary>Readings refused by <see cref="TryWriteReading"/> since start.</summary>
    public long DroppedReadings => Interlocked.Read(ref droppedReadings);

    /// <inheritdoc/>
    /// <remarks>The receipt of a refused reading is not completed: the caller still owns it.</remarks>
    public bool TryWriteReading(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (readingSlots.Wait(0))
        {
            if (events.TryWrite(reading))
            {
                return true;
            }

            readingSlots.Release();
        }

        Interlocked.Increment(ref droppedReadings);
        if (droppedCounter.Enabled)
        {
            droppedCounter.Add(1, new KeyValuePair<string, object?>(FloxideTelemetry.Tags.SensorId, SensorTags.Of(directory, reading.SensorId)));
        }

        return false;
    }

    /// <inheritdoc/>
    public async ValueTask WriteReadingAsync(SensorReading reading, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reading);
        await readingSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await events.WriteAsync(reading, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            readingSlots.Release();
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(GatewayEvent @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return @event is SensorReading reading ? WriteReadingAsync(reading, cancellationToken) : events.WriteAsync(@event, cancellationToken);
    }

    /// <summary>Takes the next event for the workflow, freeing the reading slot of a reading.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The next event.</returns>
    /// <exception cref="EventSourceCompletedException">The queue is completed and drained.</exception>
    public ValueTask<GatewayEvent> WaitForEventAsync(CancellationToken cancellationToken = default)
    {
        var waiting = events.WaitForEventAsync(cancellationToken);
        if (!waiting.IsCompletedSuccessfully)
        {
            return AwaitEventAsync(waiting);
        }

        var @event = waiting.Result;
        Taken(@event);
        return new(@event);
    }

    /// <summary>Forwards the ticks of <paramref name="timer"/> into the queue as <see cref="GatewayTick"/> events.</summary>
    /// <param name="timer">The timer source.</param>
    /// <param name="cancellationToken">Stops the forwarding.</param>
    /// <returns>A task that completes when the timer is disposed, or is cancelled.</returns>
    public Task ForwardTicksAsync(TimerEventSource timer, CancellationToken cancellationToken = default) =>
        timer.ForwardToAsync(events, static tick => new GatewayTick(tick.Timestamp), cancellationToken);

    /// <summary>Takes no more events; the workflow ends once the queued ones are processed.</summary>
    /// <returns><see langword="false"/> when already completed.</returns>
    public bool Complete() => events.Complete();

    /// <summary>Releases the reading-slot semaphore; complete the channel first.</summary>
    public void Dispose() => readingSlots.Dispose();

    /// <summary>Queues an event that is not a reading without waiting, e.g. from an event handler that must not block.</summary>
    /// <param name="event">A fault, status change, tick or removal.</param>
    /// <returns><see langword="false"/> when the whole queue is full or completed.</returns>
    internal bool TryWriteControl(GatewayEvent @event)
    {
        if (@event is SensorReading)
        {
            throw new ArgumentException("Readings go through TryWriteReading, which takes a reading slot.", nameof(@event));
        }

        return events.TryWrite(@event);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<GatewayEvent> AwaitEventAsync(ValueTask<GatewayEvent> waiting)
    {
        var @event = await waiting.ConfigureAwait(false);
        Taken(@event);
        return @event;
    }

    private void Taken(GatewayEvent @event)
    {
        // Every reading in the channel took a slot on its way in, so a free slot is owed; the check keeps a miscount
        // from ever throwing SemaphoreFullException into the workflow and dead-lettering a good reading.
        if (@event is SensorReading && readingSlots.CurrentCount < ReadingCapacity)
        {
            readingSlots.Release();
        }
    }
}
