using System.Globalization;

namespace Floxide.Edge.Readings;

/// <summary>An inclusive range of values of one quantity, in its canonical unit.</summary>
/// <param name="Minimum">The lowest value in range.</param>
/// <param name="Maximum">The highest value in range.</param>
public readonly record struct ValueRange(double Minimum, double Maximum)
{
    /// <summary><see langword="true"/> when <paramref name="value"/> is a number within the range.</summary>
    /// <param name="value">A value.</param>
    /// <returns>Whether the value is in range.</returns>
    public bool Contains(double value) => value >= Minimum && value <= Maximum;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Minimum}…{Maximum}");
}
