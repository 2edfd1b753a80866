namespace Floxide.Edge.Mqtt;

/// <summary>MQTT 5 shared subscriptions: <c>$share/&lt;group&gt;/&lt;filter&gt;</c>.</summary>
public static class SharedSubscription
{
    private const string Prefix = "$share/";

    /// <summary>The shared subscription of <paramref name="group"/> to <paramref name="filter"/>, or the filter itself when there is no group.</summary>
    /// <param name="group">The share group, or null.</param>
    /// <param name="filter">The topic filter.</param>
    /// <returns>The filter to subscribe to.</returns>
    public static string Wrap(string? group, string filter) => string.IsNullOrEmpty(group) ? filter : $"{Prefix}{group}/{filter}";

    /// <summary>The topic filter inside a shared subscription, which is what its messages' topics match.</summary>
    /// <param name="filter">A filter, shared or not.</param>
    /// <returns>The plain filter.</returns>
    public static string Unwrap(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!filter.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return filter;
        }

        var end = filter.IndexOf('/', Prefix.Length);
        return end < 0 ? filter : filter[(end + 1)..];
    }
}
