using Microsoft.Extensions.Hosting;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>
/// Once, a few seconds after every part has started, collects the garbage of start-up (configuration, validation,
/// DI, the first connections) with a compacting full collection that also returns the freed memory to the system:
/// otherwise it stays resident until the gen-0 budget is first used up (docs/host.md, "Memory of the NativeAOT build").
/// </summary>
internal sealed class StartupGarbageCollection(IHostApplicationLifetime lifetime, TimeProvider timeProvider) : IHostedService, IDisposable
{
    /// <summary>How long after start-up the collection runs: past the first polls and connections.</summary>
    internal static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private CancellationTokenRegistration started;
    private ITimer? timer;
    private bool stopped;

    /// <summary>Whether the collection has run.</summary>
    internal bool Collected { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        started = lifetime.ApplicationStarted.Register(static state => ((StartupGarbageCollection)state!).Schedule(), this);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        started.Dispose();
        lock (gate)
        {
            stopped = true;
            timer?.Dispose();
        }
    }

    private void Schedule()
    {
        lock (gate)
        {
            if (!stopped)
            {
                timer = timeProvider.CreateTimer(static state => ((StartupGarbageCollection)state!).Collect(), this, Delay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Collect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Collected = true;
    }
}
