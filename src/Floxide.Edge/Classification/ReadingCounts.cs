namespace Floxide.Edge.Classification;

/// <summary>Counts of readings judged invalid or suspect, per <see cref="InvalidReason"/>, since start.</summary>
/// <remarks>Written by the workflow loop; read from any thread.</remarks>
public sealed class ReadingCounts
{
    private readonly long[] counts = new long[Enum.GetValues<InvalidReason>().Length];

    /// <summary>How many readings were judged so for <paramref name="reason"/>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count.</returns>
    public long this[InvalidReason reason] => Interlocked.Read(ref counts[(int)reason]);

    /// <summary>The invalid readings, all reasons but <see cref="InvalidReason.Stuck"/>.</summary>
    public long Invalid => counts.Select((_, i) => (InvalidReason)i == InvalidReason.Stuck ? 0 : this[(InvalidReason)i]).Sum();

    internal void Add(InvalidReason reason) => Interlocked.Increment(ref counts[(int)reason]);
}
