using Floxide.Edge.Readings;

namespace Floxide.Edge.Reporting;

/// <summary>The min, max and mean of one quantity of one sensor over one window.</summary>
/// <param name="SensorId">The sensor.</param>
/// <param name="Quantity">The quantity.</param>
/// <param name="WindowStart">The window's start (inclusive).</param>
/// <param name="WindowEnd">The window's end (exclusive).</param>
/// <param name="Count">How many valid readings fell in the window.</param>
/// <param name="Minimum">The smallest value.</param>
/// <param name="Maximum">The largest value.</param>
/// <param name="Mean">The mean value.</param>
public sealed record SensorAggregate(
    string SensorId, Quantity Quantity, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, int Count, double Minimum, double Maximum, double Mean);

/// <summary>Where closed aggregate windows go: MQTT, or a test's collector.</summary>
/// <remarks>Called from the workflow loop, one aggregate at a time; an implementation must not block it for long.</remarks>
public interface IAggregateSink
{
    /// <summary>Takes an aggregate for publishing.</summary>
    /// <param name="aggregate">The aggregate.</param>
    /// <param name="cancellationToken">Cancels the hand-over.</param>
    /// <returns>A task that completes when the sink has taken it.</returns>
    ValueTask WriteAsync(SensorAggregate aggregate, CancellationToken cancellationToken = default);
}
