namespace Floxide.Events.Tests.Sources;

/// <summary>The contract every <see cref="IEventSource{TEvent}"/> keeps; each source's tests derive from this class.</summary>
public abstract class EventSourceContractTests<TEvent>
{
    protected abstract IEventSourceHarness<TEvent> CreateHarness();

    [Fact]
    public async Task WaitForEventAsync_EventsProduced_AreYieldedInOrder()
    {
        var harness = CreateHarness();
        var produced = new List<TEvent>();
        var received = new List<TEvent>();
        for (var i = 0; i < 3; i++)
        {
            produced.Add(await harness.ProduceAsync());
            received.Add(await harness.Source.WaitForEventAsync());
        }

        Assert.Equal(produced, received);
    }

    [Fact]
    public async Task WaitForEventAsync_EventProducedWhileWaiting_CompletesTheWait()
    {
        var harness = CreateHarness();
        var wait = harness.Source.WaitForEventAsync().AsTask();
        Assert.False(wait.IsCompleted);

        var produced = await harness.ProduceAsync();

        Assert.Equal(produced, await wait);
    }

    [Fact]
    public async Task WaitForEventAsync_CancelledMidWait_ThrowsAndTheNextEventIsNotLost()
    {
        var harness = CreateHarness();
        using var cancellation = new CancellationTokenSource();
        var wait = harness.Source.WaitForEventAsync(cancellation.Token).AsTask();

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        var produced = await harness.ProduceAsync();

        Assert.Equal(produced, await harness.Source.WaitForEventAsync());
    }

    [Fact]
    public async Task WaitForEventAsync_AfterCompletion_ThrowsCompletedEveryTime()
    {
        var harness = CreateHarness();

        harness.Complete();

        var first = await Assert.ThrowsAsync<EventSourceCompletedException>(() => harness.Source.WaitForEventAsync().AsTask());
        await Assert.ThrowsAsync<EventSourceCompletedException>(() => harness.Source.WaitForEventAsync().AsTask());
        Assert.Equal(harness.Source.Id, first.SourceId);
    }

    [Fact]
    public async Task WaitForEventAsync_CompletedWhileWaiting_EndsTheWaitWithCompleted()
    {
        var harness = CreateHarness();
        var wait = harness.Source.WaitForEventAsync().AsTask();

        harness.Complete();

        await Assert.ThrowsAsync<EventSourceCompletedException>(() => wait);
    }

    [Fact]
    public void Id_IsNotEmpty() => Assert.False(string.IsNullOrWhiteSpace(CreateHarness().Source.Id));
}

public interface IEventSourceHarness<TEvent>
{
    IEventSource<TEvent> Source { get; }

    /// <summary>Makes the source yield one more event, and returns it.</summary>
    ValueTask<TEvent> ProduceAsync();

    void Complete();
}
