using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Floxide.Events;

/// <summary>
/// An event source over a bounded <see cref="Channel{T}"/>: many producers write, the workflow reads. The policy for
/// a full channel is chosen explicitly; completing the writer ends the source once queued events are read.
/// </summary>
/// <typeparam name="TEvent">The events it carries.</typeparam>
/// <remarks>Writing members are thread-safe. <see cref="WaitForEventAsync"/> supports one reader at a time.</remarks>
public sealed class ChannelEventSource<TEvent> : IEventSource<TEvent>
{
    private readonly Channel<TEvent> channel;
    private readonly Counter<long> droppedCounter;
    private readonly KeyValuePair<string, object?> sourceTag;
    private readonly Action<TEvent>? onDropped;
    private long droppedCount;

    /// <summary>Creates a source.</summary>
    /// <param name="id">The source's node id.</param>
    /// <param name="capacity">Events buffered before <paramref name="fullMode"/> applies: 1 or more.</param>
    /// <param name="fullMode">What happens when the channel is full.</param>
    /// <param name="onDropped">Called with each event dropped under <see cref="ChannelFullMode.DropOldest"/>, on the writer's thread.</param>
    /// <param name="meter">The meter for <c>floxide.events.dropped</c>; the engine's default meter when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1, or <paramref name="fullMode"/> is undefined.</exception>
    public ChannelEventSource(string id, int capacity, ChannelFullMode fullMode, Action<TEvent>? onDropped = null, Meter? meter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (!Enum.IsDefined(fullMode))
        {
            throw new ArgumentOutOfRangeException(nameof(fullMode), fullMode, "Choose ChannelFullMode.Wait or ChannelFullMode.DropOldest.");
        }

        Id = id;
        Capacity = capacity;
        FullMode = fullMode;
        this.onDropped = onDropped;
        sourceTag = new(EventTelemetry.Tags.SourceId, id);
        droppedCounter = (meter ?? EventTelemetry.DefaultMeter).CreateCounter<long>(
            EventTelemetry.EventsDropped, "{event}", "Events a full channel dropped.");
        var options = new BoundedChannelOptions(capacity)
        {
            FullMode = fullMode == ChannelFullMode.Wait ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        };
        channel = Channel.CreateBounded<TEvent>(options, fullMode == ChannelFullMode.DropOldest ? OnItemDropped : null);
    }

    /// <inheritdoc/>
    public string Id { get; }

    /// <summary>The most events the channel holds.</summary>
    public int Capacity { get; }

    /// <summary>The policy for a full channel.</summary>
    public ChannelFullMode FullMode { get; }

    /// <summary>The events queued and not yet read.</summary>
    public int Count => channel.Reader.Count;

    /// <summary>The events dropped so far to make room (always 0 under <see cref="ChannelFullMode.Wait"/>).</summary>
    public long DroppedCount => Interlocked.Read(ref droppedCount);

    /// <summary>The channel's writer, for producers that want the channel API itself.</summary>
    public ChannelWriter<TEvent> Writer => channel.Writer;

    /// <summary>Queues <paramref name="event"/> without waiting.</summary>
    /// <param name="event">The event.</param>
    /// <returns>
    /// <see langword="false"/> when the source is completed, or full under <see cref="ChannelFullMode.Wait"/>.
    /// Under <see cref="ChannelFullMode.DropOldest"/> a write to an open source always succeeds.
    /// </returns>
    public bool TryWrite(TEvent @event) => channel.Writer.TryWrite(@event);

    /// <summary>Queues <paramref name="event"/>, waiting for room under <see cref="ChannelFullMode.Wait"/>.</summary>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    /// <exception cref="ChannelClosedException">The source is completed.</exception>
    public ValueTask WriteAsync(TEvent @event, CancellationToken cancellationToken = default) =>
        channel.Writer.WriteAsync(@event, cancellationToken);

    /// <summary>Takes no more events; the reader sees <see cref="EventSourceCompletedException"/> once the queue is empty.</summary>
    /// <returns><see langword="false"/> when the source was already completed.</returns>
    public bool Complete() => channel.Writer.TryComplete();

    /// <inheritdoc/>
    public ValueTask<TEvent> WaitForEventAsync(CancellationToken cancellationToken = default) =>
        channel.Reader.TryRead(out var @event) ? new(@event) : WaitForNextAsync(cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TEvent> WaitForNextAsync(CancellationToken cancellationToken)
    {
        var reader = channel.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.TryRead(out var @event))
            {
                return @event;
            }
        }

        throw new EventSourceCompletedException(Id);
    }

    private void OnItemDropped(TEvent @event)
    {
        Interlocked.Increment(ref droppedCount);
        if (droppedCounter.Enabled)
        {
            droppedCounter.Add(1, sourceTag);
        }

        onDropped?.Invoke(@event);
    }
}
