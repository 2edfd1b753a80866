namespace Floxide.Edge.Readings;

/// <summary>
/// A physical quantity a sensor measures. Values handled as plain numbers (thresholds, deadbands, payloads) are in
/// the quantity's canonical unit: °C, % relative humidity, hPa.
/// </summary>
public enum Quantity
{
    /// <summary>Temperature, in degrees Celsius.</summary>
    Temperature,

    /// <summary>Relative humidity, in percent.</summary>
    RelativeHumidity,

    /// <summary>Barometric pressure, in hectopascals.</summary>
    Pressure,
}

/// <summary>Names and units of <see cref="Quantity"/> values, as used in configuration, payloads and metrics.</summary>
public static class Quantities
{
    /// <summary>Every quantity, in declaration order.</summary>
    public static IReadOnlyList<Quantity> All { get; } = Enum.GetValues<Quantity>();

    /// <summary>The quantity's name in configuration and payloads: <c>temperature</c>, <c>humidity</c>, <c>pressure</c>.</summary>
    /// <param name="quantity">The quantity.</param>
    /// <returns>Its name.</returns>
    public static string Name(this Quantity quantity) => quantity switch
    {
        Quantity.Temperature => "temperature",
        Quantity.RelativeHumidity => "humidity",
        Quantity.Pressure => "pressure",
        _ => throw new ArgumentOutOfRangeException(nameof(quantity), quantity, null),
    };

    /// <summary>The canonical unit's symbol: <c>°C</c>, <c>%</c>, <c>hPa</c>.</summary>
    /// <param name="quantity">The quantity.</param>
    /// <returns>The unit symbol.</returns>
    public static string Unit(this Quantity quantity) => quantity switch
    {
        Quantity.Temperature => "°C",
        Quantity.RelativeHumidity => "%",
        Quantity.Pressure => "hPa",
        _ => throw new ArgumentOutOfRangeException(nameof(quantity), quantity, null),
    };

    /// <summary>Parses a name given by <see cref="Name"/>, ignoring case.</summary>
    /// <param name="name">The name.</param>
    /// <param name="quantity">The quantity, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is known.</returns>
    public static bool TryParse(string? name, out Quantity quantity)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                quantity = candidate;
                return true;
            }
        }

        quantity = default;
        return false;
    }
}
