using System.Diagnostics.CodeAnalysis;

namespace Floxide.Edge.Gateway.Metrics;

/// <summary>
/// A measurement's tags, sorted by key, as the key of one time series. Looked up by the span the
/// <see cref="System.Diagnostics.Metrics.MeterListener"/> hands over, so recording a known series allocates nothing.
/// </summary>
internal sealed class TagSet
{
    public static readonly TagSet Empty = new([]);

    private TagSet(KeyValuePair<string, object?>[] tags)
    {
        Tags = tags;
        Hash = HashOf(tags);
    }

    public KeyValuePair<string, object?>[] Tags { get; }

    public int Hash { get; }

    public static TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return Empty;
        }

        var copy = tags.ToArray();
        Array.Sort(copy, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new TagSet(copy);
    }

    // Order-independent, so the same tags given in another order find the same series.
    internal static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash ^= HashCode.Combine(tag.Key, tag.Value);
        }

        return hash;
    }

    internal bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != Tags.Length)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            var found = false;
            foreach (var mine in Tags)
            {
                if (string.Equals(mine.Key, tag.Key, StringComparison.Ordinal) && Equals(mine.Value, tag.Value))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Compares tag sets, and a stored tag set with a listener's span.</summary>
internal sealed class TagSetComparer : IEqualityComparer<TagSet>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, TagSet>
{
    public static readonly TagSetComparer Instance = new();

    public bool Equals(TagSet? x, TagSet? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Hash == y.Hash && x.Matches(y.Tags));

    public int GetHashCode([DisallowNull] TagSet obj) => obj.Hash;

    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, TagSet other) => other.Matches(alternate);

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => TagSet.HashOf(alternate);

    public TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => TagSet.Create(alternate);
}
