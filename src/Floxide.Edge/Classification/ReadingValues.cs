using System.Globalization;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Classification;

/// <summary>
/// For producers (MQTT ingest, pollers): sets a value on a reading, or marks the reading invalid when the value is
/// NaN or infinite. UnitsNet quantities refuse such values with an exception, so they cannot be carried to
/// validation as values; the mark carries the reason instead, and <see cref="ReadingValidator"/> counts the reading
/// as <see cref="InvalidReason.NotANumber"/> and drops it (completing its receipt).
/// </summary>
public static class ReadingValues
{
    /// <summary>Sets <paramref name="quantity"/> to <paramref name="value"/>, or marks <paramref name="reading"/> invalid when it is not finite.</summary>
    /// <param name="reading">The reading being built.</param>
    /// <param name="quantity">The quantity.</param>
    /// <param name="value">The value in the quantity's canonical unit.</param>
    /// <returns><see langword="false"/> when the value was not finite and the reading is now marked invalid.</returns>
    public static bool TrySetValue(SensorReading reading, Quantity quantity, double value)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (double.IsFinite(value))
        {
            reading.SetValue(quantity, value);
            return true;
        }

        reading.Quality = ReadingQuality.Invalid;
        reading.QualityReason = $"{InvalidReason.NotANumber.Name()}: {quantity.Name()} is {value.ToString(CultureInfo.InvariantCulture)}";
        return false;
    }
}
