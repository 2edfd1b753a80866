using System.Runtime.CompilerServices;

namespace Floxide.Events;

/// <summary>
/// An event source that yields a <see cref="TimerTick"/> every period of an injected <see cref="TimeProvider"/>,
/// e.g. to drive periodic checks from inside a workflow. Ticks missed while nobody waited are coalesced into one.
/// </summary>
/// <remarks><see cref="WaitForEventAsync"/> supports one reader at a time; <see cref="Dispose"/> may be called from any thread.</remarks>
public sealed class TimerEventSource : IEventSource<TimerTick>, IDisposable
{
    private readonly PeriodicTimer timer;
    private readonly TimeProvider timeProvider;
    private long sequence;

    /// <summary>Creates a timer source; the first tick comes one <paramref name="period"/> after creation.</summary>
    /// <param name="id">The source's node id.</param>
    /// <param name="period">The time between ticks; more than zero.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is zero or negative.</exception>
    public TimerEventSource(string id, TimeSpan period, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        Id = id;
        Period = period;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        timer = new PeriodicTimer(period, this.timeProvider);
    }

    /// <inheritdoc/>
    public string Id { get; }

    /// <summary>The time between ticks.</summary>
    public TimeSpan Period { get; }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TimerTick> WaitForEventAsync(CancellationToken cancellationToken = default)
    {
        if (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            return new TimerTick(++sequence, timeProvider.GetUtcNow());
        }

        throw new EventSourceCompletedException(Id);
    }

    /// <summary>Stops the timer: a pending and every later wait ends with <see cref="EventSourceCompletedException"/>.</summary>
    public void Dispose() => timer.Dispose();
}
