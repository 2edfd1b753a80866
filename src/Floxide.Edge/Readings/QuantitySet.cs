namespace Floxide.Edge.Readings;

/// <summary>
/// Every quantity as an array: <c>foreach</c> over an array compiles to an index loop, whereas over
/// <see cref="Quantities.All"/> (an interface) it allocates an enumerator per loop, which the per-reading path must not.
/// </summary>
internal static class QuantitySet
{
    public static readonly Quantity[] All = [.. Quantities.All];
}
