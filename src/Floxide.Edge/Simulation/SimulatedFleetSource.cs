using System.Threading.Channels;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Simulation;

/// <summary>
/// Writes a <see cref="SyntheticFleet"/>'s readings into a channel as their times come on a <see cref="TimeProvider"/>:
/// after a clock jump (a fake clock advanced by a day) every reading due in between is written, in time order, with
/// its own timestamp. Dropouts write nothing, as a silent sensor sends nothing. A reading's sequence number is its
/// schedule slot counted from <see cref="SyntheticFleet.Epoch"/>, so sequences keep increasing across restarts.
/// </summary>
public sealed class SimulatedFleetSource
{
    private readonly SyntheticFleet fleet;
    private readonly IGatewayEventWriter events;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the source and registers the fleet's sensors in <paramref name="directory"/>.</summary>
    /// <param name="fleet">The fleet.</param>
    /// <param name="directory">Where each sensor is registered (origin simulated, model <c>simulated</c>).</param>
    /// <param name="events">Where readings go.</param>
    /// <param name="timeProvider">The clock.</param>
    public SimulatedFleetSource(SyntheticFleet fleet, SensorDirectory directory, IGatewayEventWriter events, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.fleet = fleet;
        this.events = events;
        this.timeProvider = timeProvider;
        var ranges = new Dictionary<Quantity, ValueRange>
        {
            [Quantity.Temperature] = new(-40, 85),
            [Quantity.RelativeHumidity] = new(0, 100),
            [Quantity.Pressure] = new(300, 1100),
        };
        foreach (var id in fleet.SensorIds)
        {
            directory.Register(new SensorDescriptor(id, "simulated", SensorOrigin.Simulated, fleet.Interval, ranges));
        }
    }

    /// <summary>Readings written so far.</summary>
    public long Written { get; private set; }

    /// <summary>Writes readings as they come due, from now until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops the source.</param>
    /// <returns>A task that completes when the source stops; it does not fault on cancellation or a completed channel.</returns>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var schedule = fleet.ScheduleAfter(timeProvider.GetUtcNow());
        try
        {
            while (true)
            {
                var due = schedule.NextDue;
                if (due == DateTimeOffset.MaxValue)
                {
                    return;
                }

                // Due times are absolute, so a clock advanced before this delay is registered is not missed.
                var wait = due - timeProvider.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                }

                var now = timeProvider.GetUtcNow();
                while (schedule.TryTake(now, out var sample))
                {
                    if (!sample.IsDropout)
                    {
                        await events.WriteReadingAsync(sample.ToReading(), cancellationToken).ConfigureAwait(false);
                        Written++;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
    }
}
