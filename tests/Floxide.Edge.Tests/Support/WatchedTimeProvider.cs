using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells the test each time a timer is armed and for how long (a
/// <c>Task.Delay</c>, a <c>CancelAfter</c>), so a test can advance the clock exactly when the code under test is
/// waiting on it, instead of guessing or polling; and the delays themselves can be checked, e.g. a back-off.
/// </summary>
internal sealed class WatchedTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Channel<TimeSpan> armed = Channel.CreateUnbounded<TimeSpan>();

    public FakeTimeProvider Clock { get; } = new(start);

    public override TimeZoneInfo LocalTimeZone => Clock.LocalTimeZone;

    public override long TimestampFrequency => Clock.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => Clock.GetUtcNow();

    public override long GetTimestamp() => Clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(Clock.CreateTimer(callback, state, dueTime, period), armed.Writer);
        WatchedTimer.Report(armed.Writer, dueTime);
        return timer;
    }

    /// <summary>Waits until the next timer is armed with a finite, positive due time, and returns it.</summary>
    public async Task<TimeSpan> NextTimerAsync() => await armed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Waits until a timer is armed for <paramref name="due"/>, passing over others, then advances the clock by it.</summary>
    public async Task AdvanceWhenArmedAsync(TimeSpan due, ICollection<TimeSpan>? seen = null)
    {
        while (true)
        {
            var next = await NextTimerAsync();
            seen?.Add(next);
            if (next == due)
            {
                Clock.Advance(due);
                return;
            }
        }
    }

    private sealed class WatchedTimer(ITimer inner, ChannelWriter<TimeSpan> armed) : ITimer
    {
        public static void Report(ChannelWriter<TimeSpan> armed, TimeSpan dueTime)
        {
            if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            {
                armed.TryWrite(dueTime);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            Report(armed, dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
