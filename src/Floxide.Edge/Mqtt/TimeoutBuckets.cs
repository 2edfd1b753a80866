namespace Floxide.Edge.Mqtt;

/// <summary>
/// Cancellation tokens that fire a fixed time after they are handed out, give or take one bucket: every caller in
/// the same bucket shares one <see cref="CancellationTokenSource"/>, so a per-message timeout costs no timer per
/// message. A PUBACK timeout of 30 s does not need millisecond precision.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class TimeoutBuckets(TimeSpan timeout, TimeProvider timeProvider, TimeSpan bucket) : IDisposable
{
    private readonly Lock gate = new();
    private readonly Queue<(long Expires, CancellationTokenSource Source)> issued = new();
    private CancellationTokenSource? current;
    private long currentEnds;

    /// <summary>A token that is cancelled between <c>timeout</c> and <c>timeout + bucket</c> from now.</summary>
    public CancellationToken Next()
    {
        var now = timeProvider.GetTimestamp();
        lock (gate)
        {
            if (current is null || now >= currentEnds)
            {
                // Sources of buckets long past their timeout have fired; dispose them.
                while (issued.TryPeek(out var old) && old.Source.IsCancellationRequested)
                {
                    issued.Dequeue().Source.Dispose();
                }

                current = new CancellationTokenSource(timeout + bucket, timeProvider);
                currentEnds = now + (long)(bucket.TotalSeconds * timeProvider.TimestampFrequency);
                issued.Enqueue((currentEnds, current));
            }

            return current.Token;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            while (issued.TryDequeue(out var entry))
            {
                entry.Source.Dispose();
            }
        }
    }
}
