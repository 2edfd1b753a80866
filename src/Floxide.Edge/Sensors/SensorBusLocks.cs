using System.Collections.Concurrent;

namespace Floxide.Edge.Sensors;

/// <summary>
/// Serialises reads per bus: a read holds its bus from before its first transfer until its driver returns, even when
/// its poller has stopped waiting for it (a timed-out read still owns the bus), so chips on one bus never see
/// interleaved transactions.
/// </summary>
/// <remarks>Thread-safe; shared by every poller of a gateway.</remarks>
public sealed class SensorBusLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> buses = new(StringComparer.Ordinal);

    /// <summary>Waits until <paramref name="busKey"/> is free and takes it.</summary>
    /// <param name="busKey">The bus, e.g. <c>i2c-1</c>.</param>
    /// <param name="cancellationToken">Cancels the wait; once the bus is taken it is not given back on cancellation.</param>
    /// <returns>The bus, held until the returned object is disposed (disposing it twice releases it once).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the bus was free.</exception>
    public async ValueTask<IDisposable> AcquireAsync(string busKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(busKey);
        var bus = buses.GetOrAdd(busKey, _ => new SemaphoreSlim(1, 1));
        await bus.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Held(bus);
    }

    private sealed class Held(SemaphoreSlim bus) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                bus.Release();
            }
        }
    }
}
