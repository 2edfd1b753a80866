namespace Floxide.Edge.Gateway.Configuration;

/// <summary>Range checks for <see cref="TimeSpan"/> settings, with messages that name key, value and fix.</summary>
public static class DurationRule
{
    /// <summary>Adds a failure to <paramref name="failures"/> when <paramref name="value"/> is outside the range.</summary>
    /// <param name="failures">Collects the failures.</param>
    /// <param name="key">The full key, e.g. <c>Floxide:Host:ShutdownTimeout</c>.</param>
    /// <param name="value">The value.</param>
    /// <param name="minimum">The smallest allowed value.</param>
    /// <param name="maximum">The largest allowed value.</param>
    /// <param name="hint">Advice, e.g. <c>e.g. 00:00:10</c>.</param>
    public static void Check(ICollection<string> failures, string key, TimeSpan value, TimeSpan minimum, TimeSpan maximum, string hint)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (value < minimum || value > maximum)
        {
            failures.Add($"{key} = '{value:c}': must be from {minimum:c} to {maximum:c}. Fix: set a duration in that range; {hint}.");
        }
    }
}
