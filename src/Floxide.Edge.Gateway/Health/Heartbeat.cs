namespace Floxide.Edge.Gateway.Health;

/// <summary>
/// A liveness check for a part that works in a loop (a poller, a reconnect loop): healthy while <see cref="Beat"/> is
/// called at least every <see cref="MaxSilence"/>. Create one with <see cref="GatewayHealth.AddHeartbeat"/>.
/// </summary>
/// <remarks>Thread-safe; <see cref="Beat"/> costs one clock read and one write.</remarks>
public sealed class Heartbeat : IHealthCheck, IDisposable
{
    private readonly TimeProvider timeProvider;
    private long lastBeat;
    private IDisposable? registration;

    internal Heartbeat(string name, TimeSpan maxSilence, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxSilence, TimeSpan.Zero);
        Name = name;
        MaxSilence = maxSilence;
        this.timeProvider = timeProvider;
        lastBeat = timeProvider.GetTimestamp();
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>How long the part may stay silent before it counts as hung.</summary>
    public TimeSpan MaxSilence { get; }

    /// <summary>Says the part is alive: call once per loop iteration.</summary>
    public void Beat() => Volatile.Write(ref lastBeat, timeProvider.GetTimestamp());

    /// <inheritdoc/>
    public string? Check()
    {
        var silent = timeProvider.GetElapsedTime(Volatile.Read(ref lastBeat));
        return silent > MaxSilence
            ? $"silent for {silent.TotalSeconds:0.#} s (allowed {MaxSilence.TotalSeconds:0.#} s)"
            : null;
    }

    /// <summary>Unregisters the heartbeat, for a part that stopped on purpose.</summary>
    public void Dispose() => Interlocked.Exchange(ref registration, null)?.Dispose();

    internal void Attach(IDisposable registration) => this.registration = registration;
}
