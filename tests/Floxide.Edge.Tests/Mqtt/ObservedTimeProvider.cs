using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Mqtt;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports each timer created on it, so a test advances time only once the
/// code under test is actually waiting (a back-off delay), instead of racing it.
/// </summary>
internal sealed class ObservedTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    private readonly Channel<TimeSpan> timers = Channel.CreateUnbounded<TimeSpan>();

    public ObservedTimeProvider()
        : this(new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z", global::System.Globalization.CultureInfo.InvariantCulture)))
    {
    }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public void Advance(TimeSpan delta) => inner.Advance(delta);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until the code under test creates its next timer, and returns its due time.</summary>
    public async Task<TimeSpan> NextTimerAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        return await timers.Reader.ReadAsync(cancel.Token);
    }
}
