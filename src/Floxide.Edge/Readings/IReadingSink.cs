namespace Floxide.Edge.Readings;

/// <summary>
/// Where the workflow hands readings that are to be published: MQTT (through the outbox while offline), or a test's
/// collector. The sink completes the reading's <see cref="SensorReading.Receipt"/> once the reading is published or
/// durably stored.
/// </summary>
/// <remarks>Called from the workflow loop, one reading at a time; an implementation must not block it for long.</remarks>
public interface IReadingSink
{
    /// <summary>Takes a reading for publishing.</summary>
    /// <param name="reading">The reading; the sink may keep it, since the workflow is done with it.</param>
    /// <param name="cancellationToken">Cancels the hand-over.</param>
    /// <returns>A task that completes when the sink has taken the reading.</returns>
    ValueTask WriteAsync(SensorReading reading, CancellationToken cancellationToken = default);
}
