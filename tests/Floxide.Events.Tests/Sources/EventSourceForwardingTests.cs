using Microsoft.Extensions.Time.Testing;

namespace Floxide.Events.Tests.Sources;

public sealed class EventSourceForwardingTests
{
    [Fact]
    public async Task ForwardToAsync_MergesSeveralSourcesIntoOneChannel_AndStopsWhenTheSourceCompletes()
    {
        var time = new FakeTimeProvider();
        using var ticks = new TimerEventSource("ticks", TimeSpan.FromSeconds(1), time);
        var readings = new ChannelEventSource<string>("sensor", capacity: 4, ChannelFullMode.Wait);
        var merged = new ChannelEventSource<string>("merged", capacity: 16, ChannelFullMode.Wait);

        var fromTicks = ticks.ForwardToAsync(merged, tick => $"tick {tick.Sequence}");
        var fromReadings = readings.ForwardToAsync(merged, reading => $"reading {reading}");
        await readings.WriteAsync("21.5");
        Assert.Equal("reading 21.5", await merged.WaitForEventAsync());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("tick 1", await merged.WaitForEventAsync());

        readings.Complete();
        ticks.Dispose();
        await fromReadings;
        await fromTicks;
        Assert.True(merged.TryWrite("still open"));
    }
}
