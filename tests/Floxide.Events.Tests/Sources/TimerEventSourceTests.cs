using Microsoft.Extensions.Time.Testing;

namespace Floxide.Events.Tests.Sources;

public sealed class TimerEventSourceContractTests : EventSourceContractTests<TimerTick>
{
    protected override IEventSourceHarness<TimerTick> CreateHarness() => new TimerHarness();

    private sealed class TimerHarness : IEventSourceHarness<TimerTick>
    {
        private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
        private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        private readonly TimerEventSource source;
        private long ticks;

        public TimerHarness() => source = new TimerEventSource("ticks", Period, time);

        public IEventSource<TimerTick> Source => source;

        public ValueTask<TimerTick> ProduceAsync()
        {
            time.Advance(Period);
            return ValueTask.FromResult(new TimerTick(++ticks, time.GetUtcNow()));
        }

        public void Complete() => source.Dispose();
    }
}

public sealed class TimerEventSourceTests
{
    [Fact]
    public async Task WaitForEventAsync_BeforeThePeriodElapses_DoesNotTick()
    {
        var time = new FakeTimeProvider();
        using var source = new TimerEventSource("ticks", TimeSpan.FromMinutes(1), time);

        var wait = source.WaitForEventAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var tick = await wait;
        Assert.Equal(1, tick.Sequence);
        Assert.Equal(time.GetUtcNow(), tick.Timestamp);
    }

    [Fact]
    public async Task WaitForEventAsync_SeveralPeriodsMissed_CoalesceIntoOneTick()
    {
        var time = new FakeTimeProvider();
        using var source = new TimerEventSource("ticks", TimeSpan.FromSeconds(1), time);

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, (await source.WaitForEventAsync()).Sequence);
        var next = source.WaitForEventAsync().AsTask();
        Assert.False(next.IsCompleted);
    }

    [Fact]
    public void Constructor_NonPositivePeriod_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimerEventSource("ticks", TimeSpan.Zero));
}
