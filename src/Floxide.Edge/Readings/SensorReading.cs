using UnitsNet;

namespace Floxide.Edge.Readings;

/// <summary>
/// One measurement of one sensor: the quantities the chip measures at a moment, where it came from, and the
/// sensor's sequence number for de-duplication downstream.
/// </summary>
/// <remarks>
/// A reading is created by its producer and then owned by the workflow, whose nodes adjust it in place
/// (calibration, smoothing, quality) so that no node allocates per event. It is not thread-safe.
/// </remarks>
public sealed class SensorReading : GatewayEvent
{
    /// <summary>Creates a reading.</summary>
    /// <param name="sensorId">The sensor's configured id.</param>
    /// <param name="timestamp">When the measurement was taken.</param>
    /// <param name="sequence">The sensor's sequence number: increasing from one reading of the sensor to the next, across restarts where the producer can (pollers start from <c>ReadingSequence.StartingAt</c>); not necessarily by one.</param>
    /// <param name="source">Where it came from, e.g. <c>bme280 i2c-1/0x76</c>, <c>mqtt fleet/t-17/reading</c>, <c>simulated</c>.</param>
    public SensorReading(string sensorId, DateTimeOffset timestamp, long sequence, string source)
        : base(timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(sensorId);
        ArgumentNullException.ThrowIfNull(source);
        SensorId = sensorId;
        Sequence = sequence;
        Source = source;
    }

    /// <summary>The sensor's configured id.</summary>
    public string SensorId { get; }

    /// <summary>The sensor's sequence number.</summary>
    public long Sequence { get; }

    /// <summary>Where the reading came from.</summary>
    public string Source { get; }

    /// <summary>The temperature, when the sensor measures it.</summary>
    public Temperature? Temperature { get; set; }

    /// <summary>The relative humidity, when the sensor measures it.</summary>
    public RelativeHumidity? Humidity { get; set; }

    /// <summary>The barometric pressure, when the sensor measures it.</summary>
    public Pressure? Pressure { get; set; }

    /// <summary>How far the reading can be trusted; <see cref="ReadingQuality.Good"/> until validation says otherwise.</summary>
    public ReadingQuality Quality { get; set; }

    /// <summary>Why the quality is not good, or <see langword="null"/>.</summary>
    public string? QualityReason { get; set; }

    /// <summary>Told when the gateway is done with the reading, for producers that must acknowledge it; null when none must.</summary>
    public IReadingReceipt? Receipt { get; init; }

    /// <summary>Reads a quantity in its canonical unit (°C, %, hPa).</summary>
    /// <param name="quantity">The quantity.</param>
    /// <param name="value">The value, when the reading has it.</param>
    /// <returns><see langword="true"/> when the reading has the quantity.</returns>
    public bool TryGetValue(Quantity quantity, out double value)
    {
        double? found = quantity switch
        {
            Quantity.Temperature => Temperature?.DegreesCelsius,
            Quantity.RelativeHumidity => Humidity?.Percent,
            Quantity.Pressure => Pressure?.Hectopascals,
            _ => null,
        };
        value = found.GetValueOrDefault();
        return found.HasValue;
    }

    /// <summary>Sets a quantity from a value in its canonical unit (°C, %, hPa).</summary>
    /// <param name="quantity">The quantity.</param>
    /// <param name="value">The value.</param>
    public void SetValue(Quantity quantity, double value)
    {
        switch (quantity)
        {
            case Quantity.Temperature:
                Temperature = UnitsNet.Temperature.FromDegreesCelsius(value);
                break;
            case Quantity.RelativeHumidity:
                Humidity = RelativeHumidity.FromPercent(value);
                break;
            case Quantity.Pressure:
                Pressure = UnitsNet.Pressure.FromHectopascals(value);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(quantity), quantity, null);
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{SensorId} #{Sequence} at {Timestamp:O}: " +
        string.Join(", ", Quantities.All.Where(q => TryGetValue(q, out _)).Select(q => TryGetValue(q, out var v) ? $"{q.Name()} {v:0.##} {q.Unit()}" : ""));
}
