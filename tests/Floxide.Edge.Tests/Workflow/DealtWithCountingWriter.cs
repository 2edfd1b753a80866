using Floxide.Edge.Readings;

namespace Floxide.Edge.Tests.Workflow;

/// <summary>
/// A producer's view of the gateway's queue that gives every reading a receipt and counts the receipts completed, so a
/// test driving a real source (the simulated fleet) on a fake clock can wait until the gateway has dealt with every
/// reading due so far (published, skipped, invalid or dead-lettered) before it lets the next timer tick through.
/// </summary>
internal sealed class DealtWithCountingWriter(IGatewayEventWriter gateway) : IGatewayEventWriter
{
    private readonly Lock gate = new();
    private readonly List<(long Count, TaskCompletionSource Reached)> waiters = [];
    private long dealtWith;
    private long completedTwice;

    public long DealtWith
    {
        get
        {
            lock (gate)
            {
                return dealtWith;
            }
        }
    }

    public bool TryWriteReading(SensorReading reading) => gateway.TryWriteReading(Tracked(reading));

    public ValueTask WriteReadingAsync(SensorReading reading, CancellationToken cancellationToken = default) =>
        gateway.WriteReadingAsync(Tracked(reading), cancellationToken);

    public ValueTask WriteAsync(GatewayEvent @event, CancellationToken cancellationToken = default) =>
        @event is SensorReading reading ? WriteReadingAsync(reading, cancellationToken) : gateway.WriteAsync(@event, cancellationToken);

    /// <summary>Receipts completed more than once: the gateway must complete each exactly once.</summary>
    public long CompletedTwice => Interlocked.Read(ref completedTwice);

    /// <summary>Completes once <paramref name="count"/> readings in all have been dealt with.</summary>
    public Task WhenDealtWithAsync(long count)
    {
        lock (gate)
        {
            if (dealtWith >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((count, reached));
            return reached.Task;
        }
    }

    private SensorReading Tracked(SensorReading reading) => new(reading.SensorId, reading.Timestamp, reading.Sequence, reading.Source)
    {
        Receipt = new Receipt(this),
        Temperature = reading.Temperature,
        Humidity = reading.Humidity,
        Pressure = reading.Pressure,
        Quality = reading.Quality,
        QualityReason = reading.QualityReason,
    };

    private void OnDealtWith()
    {
        lock (gate)
        {
            dealtWith++;
            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (dealtWith >= waiters[i].Count)
                {
                    waiters[i].Reached.TrySetResult();
                    waiters.RemoveAt(i);
                }
            }
        }
    }

    private sealed class Receipt(DealtWithCountingWriter writer) : IReadingReceipt
    {
        private int completed;

        public void Complete()
        {
            // Counted once, so a second completion cannot let the test run ahead of the gateway; reported apart.
            if (Interlocked.Exchange(ref completed, 1) == 0)
            {
                writer.OnDealtWith();
            }
            else
            {
                Interlocked.Increment(ref writer.completedTwice);
            }
        }
    }
}
