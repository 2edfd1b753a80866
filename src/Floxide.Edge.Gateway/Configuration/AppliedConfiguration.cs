using Microsoft.Extensions.Configuration;

namespace Floxide.Edge.Gateway.Configuration;

/// <summary>
/// The configuration the running gateway uses: a copy of the written configuration taken only after it passed
/// validation. Options bind from it, so <c>IOptionsMonitor</c> never sees an invalid reload.
/// </summary>
internal sealed class AppliedConfigurationSource : IConfigurationSource
{
    public AppliedConfigurationProvider Provider { get; } = new();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}

internal sealed class AppliedConfigurationProvider : ConfigurationProvider
{
    /// <summary>Replaces the running configuration with <paramref name="validated"/> and tells every listener.</summary>
    /// <returns>The keys whose value changed, were added or were removed.</returns>
    public IReadOnlyList<string> Apply(IConfiguration validated)
    {
        var next = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in validated.AsEnumerable())
        {
            if (value is not null)
            {
                next[key] = value;
            }
        }

        var changed = next.Where(pair => !Data.TryGetValue(pair.Key, out var old) || !string.Equals(old, pair.Value, StringComparison.Ordinal))
            .Select(pair => pair.Key)
            .Concat(Data.Keys.Where(key => !next.ContainsKey(key)))
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        Data = next;
        OnReload();
        return changed;
    }
}
