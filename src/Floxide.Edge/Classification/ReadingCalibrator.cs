using Floxide.Edge.Readings;

namespace Floxide.Edge.Classification;

/// <summary>
/// Applies each sensor's linear calibration (<c>raw × gain + offset</c>, per quantity) to a reading in place, before
/// classification, so thresholds and publishing see corrected values.
/// </summary>
/// <remarks>Called from the workflow loop only; <see cref="Reconfigure"/> may be called from any thread.</remarks>
/// <param name="settings">The compiled classification settings.</param>
public sealed class ReadingCalibrator(ClassificationSettings settings)
{
    private ClassificationSettings settings = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <summary>Takes new settings; the next reading is calibrated with them.</summary>
    /// <param name="settings">The new settings.</param>
    public void Reconfigure(ClassificationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref this.settings, settings);
    }

    /// <summary>Calibrates <paramref name="reading"/> in place.</summary>
    /// <param name="reading">A valid reading.</param>
    /// <returns>
    /// <see langword="true"/> when some value was changed, so that <see cref="ReadingValidator.ValidateCalibrated"/>
    /// must judge it again; a value that calibration made infinite marks the reading invalid.
    /// </returns>
    public bool Calibrate(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var rules = Volatile.Read(ref settings).For(reading.SensorId);
        var changed = false;
        foreach (var quantity in QuantitySet.All)
        {
            var quantityRules = rules.For(quantity);
            if (quantityRules.Calibrates && reading.TryGetValue(quantity, out var raw))
            {
                changed = true;
                ReadingValues.TrySetValue(reading, quantity, (raw * quantityRules.CalibrationGain) + quantityRules.CalibrationOffset);
            }
        }

        return changed;
    }
}
