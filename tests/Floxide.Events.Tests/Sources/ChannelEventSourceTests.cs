using System.Threading.Channels;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Floxide.Events.Tests.Sources;

public sealed class WaitingChannelEventSourceContractTests : EventSourceContractTests<int>
{
    protected override IEventSourceHarness<int> CreateHarness() => new ChannelHarness(ChannelFullMode.Wait);
}

public sealed class DropOldestChannelEventSourceContractTests : EventSourceContractTests<int>
{
    protected override IEventSourceHarness<int> CreateHarness() => new ChannelHarness(ChannelFullMode.DropOldest);
}

internal sealed class ChannelHarness(ChannelFullMode mode) : IEventSourceHarness<int>
{
    private readonly ChannelEventSource<int> source = new("channel", capacity: 8, mode);
    private int next;

    public IEventSource<int> Source => source;

    public async ValueTask<int> ProduceAsync()
    {
        await source.WriteAsync(++next);
        return next;
    }

    public void Complete() => source.Complete();
}

public sealed class ChannelEventSourceTests
{
    private const int Writers = 4;
    private const int EventsPerWriter = 5_000;

    [Fact]
    public async Task Wait_ConcurrentWritersAndASlowerReader_DeliverEveryEventInEachWritersOrder()
    {
        var source = new ChannelEventSource<(int Writer, int Sequence)>("readings", capacity: 16, ChannelFullMode.Wait);
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var sequence = 0; sequence < EventsPerWriter; sequence++)
            {
                await source.WriteAsync((writer, sequence));
            }
        })).ToArray();
        var completion = Task.WhenAll(writers).ContinueWith(_ => source.Complete(), TaskScheduler.Default);

        var lastSeen = Enumerable.Repeat(-1, Writers).ToArray();
        var received = 0;
        while (true)
        {
            (int Writer, int Sequence) @event;
            try
            {
                @event = await source.WaitForEventAsync();
            }
            catch (EventSourceCompletedException)
            {
                break;
            }

            Assert.Equal(lastSeen[@event.Writer] + 1, @event.Sequence);
            lastSeen[@event.Writer] = @event.Sequence;
            received++;
        }

        await completion;
        Assert.Equal(Writers * EventsPerWriter, received);
        Assert.Equal(0, source.DroppedCount);
    }

    [Fact]
    public async Task WaitForEventAsync_SeveralQueued_AreReadInWriteOrder()
    {
        var source = new ChannelEventSource<int>("readings", capacity: 4, ChannelFullMode.Wait);
        source.TryWrite(1);
        source.TryWrite(2);
        source.TryWrite(3);

        var first = await source.WaitForEventAsync();
        var second = await source.WaitForEventAsync();
        var third = await source.WaitForEventAsync();

        Assert.Equal((1, 2, 3), (first, second, third));
    }

    [Fact]
    public void Wait_TryWriteWhenFull_IsRefusedAndNothingIsDropped()
    {
        var source = new ChannelEventSource<int>("readings", capacity: 2, ChannelFullMode.Wait);

        Assert.True(source.TryWrite(1));
        Assert.True(source.TryWrite(2));
        Assert.False(source.TryWrite(3));
        Assert.Equal(2, source.Count);
        Assert.Equal(0, source.DroppedCount);
    }

    [Fact]
    public async Task Wait_WriteAsyncWhenFull_WaitsForTheReader()
    {
        var source = new ChannelEventSource<int>("readings", capacity: 1, ChannelFullMode.Wait);
        await source.WriteAsync(1);

        var blocked = source.WriteAsync(2).AsTask();
        Assert.False(blocked.IsCompleted);
        Assert.Equal(1, await source.WaitForEventAsync());
        await blocked;

        Assert.Equal(2, await source.WaitForEventAsync());
    }

    [Fact]
    public async Task DropOldest_ConcurrentWritersWithNoReader_KeepTheNewestAndCountEveryDrop()
    {
        var meter = new System.Diagnostics.Metrics.Meter("test.drops." + Guid.NewGuid());
        using var collector = new MetricCollector<long>(meter, EventTelemetry.EventsDropped);
        long droppedSeen = 0;
        var source = new ChannelEventSource<int>("readings", capacity: 100, ChannelFullMode.DropOldest,
            onDropped: _ => Interlocked.Increment(ref droppedSeen), meter: meter);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(() =>
        {
            for (var i = 0; i < EventsPerWriter; i++)
            {
                Assert.True(source.TryWrite((writer * EventsPerWriter) + i));
            }
        })));

        const long Written = Writers * EventsPerWriter;
        Assert.Equal(100, source.Count);
        Assert.Equal(Written - 100, source.DroppedCount);
        Assert.Equal(Written - 100, Interlocked.Read(ref droppedSeen));
        Assert.Equal(Written - 100, collector.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.All(collector.GetMeasurementSnapshot(), m => Assert.Equal("readings", m.Tags[EventTelemetry.Tags.SourceId]));
    }

    [Fact]
    public async Task DropOldest_ConcurrentWritersAndReader_ReceivedPlusDroppedEqualsWritten()
    {
        var source = new ChannelEventSource<int>("readings", capacity: 8, ChannelFullMode.DropOldest);
        var writers = Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < EventsPerWriter; i++)
            {
                source.TryWrite(i);
            }
        })));
        _ = writers.ContinueWith(_ => source.Complete(), TaskScheduler.Default);

        long received = 0;
        try
        {
            while (true)
            {
                await source.WaitForEventAsync();
                received++;
            }
        }
        catch (EventSourceCompletedException)
        {
        }

        Assert.Equal(Writers * EventsPerWriter, received + source.DroppedCount);
    }

    [Fact]
    public async Task Complete_QueuedEventsAreStillReadBeforeCompletion()
    {
        var source = new ChannelEventSource<int>("readings", capacity: 4, ChannelFullMode.Wait);
        source.TryWrite(1);
        source.TryWrite(2);

        Assert.True(source.Complete());
        Assert.False(source.Complete());

        Assert.Equal(1, await source.WaitForEventAsync());
        Assert.Equal(2, await source.WaitForEventAsync());
        await Assert.ThrowsAsync<EventSourceCompletedException>(() => source.WaitForEventAsync().AsTask());
        Assert.False(source.TryWrite(3));
        await Assert.ThrowsAsync<ChannelClosedException>(() => source.WriteAsync(3).AsTask());
    }

    [Theory]
    [InlineData(0, ChannelFullMode.Wait)]
    [InlineData(4, (ChannelFullMode)7)]
    public void Constructor_InvalidCapacityOrMode_Throws(int capacity, ChannelFullMode mode) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelEventSource<int>("x", capacity, mode));
}
