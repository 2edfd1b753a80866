using Floxide.Edge.Readings;

namespace Floxide.Edge.Classification;

/// <summary>What classification made of one quantity of the current reading.</summary>
/// <param name="Measured">The reading has the quantity.</param>
/// <param name="Value">The calibrated value.</param>
/// <param name="Zone">The zone after this reading.</param>
/// <param name="Previous">The zone before this reading.</param>
/// <param name="Threshold">The threshold of <paramref name="Zone"/>, or of <paramref name="Previous"/> when the zone is normal; NaN when neither has one.</param>
public readonly record struct QuantityClassification(bool Measured, double Value, ThresholdZone Zone, ThresholdZone Previous, double Threshold)
{
    /// <summary><see langword="true"/> when this reading moved the quantity to another zone.</summary>
    public bool Changed => Zone != Previous;
}

/// <summary>
/// The classifier's verdict on the reading being processed, handed to the alert stage through the workflow context.
/// One instance is reused for every reading, so classification allocates nothing.
/// </summary>
public sealed class ReadingClassification
{
    private readonly QuantityClassification[] quantities = new QuantityClassification[Quantities.All.Count];

    /// <summary>The sensor of the reading classified last.</summary>
    public string SensorId { get; private set; } = string.Empty;

    /// <summary>When the reading was measured.</summary>
    public DateTimeOffset Timestamp { get; private set; }

    /// <summary>The most severe zone among the reading's quantities.</summary>
    public Severity Severity { get; private set; }

    /// <summary><see langword="true"/> when some quantity changed zone.</summary>
    public bool AnyChanged { get; private set; }

    /// <summary>The verdict on <paramref name="quantity"/>.</summary>
    /// <param name="quantity">A quantity.</param>
    /// <returns>The verdict; <see cref="QuantityClassification.Measured"/> is false when the reading lacks the quantity.</returns>
    public QuantityClassification this[Quantity quantity] => quantities[(int)quantity];

    internal void Begin(SensorReading reading)
    {
        SensorId = reading.SensorId;
        Timestamp = reading.Timestamp;
        Severity = Severity.Normal;
        AnyChanged = false;
        Array.Clear(quantities);
    }

    internal void Set(Quantity quantity, in QuantityClassification classification)
    {
        quantities[(int)quantity] = classification;
        AnyChanged |= classification.Changed;
        var severity = classification.Zone.Severity();
        if (severity > Severity)
        {
            Severity = severity;
        }
    }
}
