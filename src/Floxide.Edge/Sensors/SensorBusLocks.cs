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

    /// <summary>Runs <paramref name="read"/> on a worker thread once <paramref name="busKey"/> is free.</summary>
    /// <param name="busKey">The bus, e.g. <c>i2c-1</c>.</param>
    /// <param name="read">The blocking read.</param>
    /// <param name="cancellationToken">Cancels the wait for the bus; a read that has started runs to its end.</param>
    /// <returns>The read's result.</returns>
    /// <typeparam name="T">The result type.</typeparam>
    public async Task<T> RunAsync<T>(string busKey, Func<T> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        var bus = buses.GetOrAdd(busKey, _ => new SemaphoreSlim(1, 1));
        await bus.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(read, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            bus.Release();
        }
    }
}
