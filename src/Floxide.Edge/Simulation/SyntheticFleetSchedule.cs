namespace Floxide.Edge.Simulation;

/// <summary>
/// A <see cref="SyntheticFleet"/>'s samples in time order from a start on (see <see cref="SyntheticFleet.ScheduleAfter"/>):
/// each take is one step of a queue ordered by due time, whatever the fleet's size.
/// </summary>
/// <remarks>Not thread-safe: one reader.</remarks>
public sealed class SyntheticFleetSchedule
{
    private readonly SyntheticFleet fleet;
    private readonly PriorityQueue<(int Index, long Slot), DateTimeOffset> due;

    internal SyntheticFleetSchedule(SyntheticFleet fleet, PriorityQueue<(int Index, long Slot), DateTimeOffset> due)
    {
        this.fleet = fleet;
        this.due = due;
    }

    /// <summary>When the next sample is due, or <see cref="DateTimeOffset.MaxValue"/> for an empty fleet.</summary>
    public DateTimeOffset NextDue => due.TryPeek(out _, out var time) ? time : DateTimeOffset.MaxValue;

    /// <summary>Takes the next sample if it is due by <paramref name="until"/>.</summary>
    /// <param name="until">The inclusive end.</param>
    /// <param name="sample">The sample, dropouts included (flagged).</param>
    /// <returns>Whether a sample was due.</returns>
    public bool TryTake(DateTimeOffset until, out SyntheticSample sample)
    {
        if (!due.TryPeek(out var next, out var time) || time > until)
        {
            sample = default;
            return false;
        }

        due.Dequeue();
        sample = fleet.Sample(next.Index, next.Slot);
        due.Enqueue((next.Index, next.Slot + 1), fleet.SlotTime(next.Index, next.Slot + 1));
        return true;
    }
}
