using Floxide.Edge.Readings;
using UnitsNet;

namespace Floxide.Edge.Sensors;

/// <summary>What one read of a chip measured; a quantity the chip does not measure is null.</summary>
/// <param name="Temperature">The temperature.</param>
/// <param name="Humidity">The relative humidity.</param>
/// <param name="Pressure">The barometric pressure.</param>
public readonly record struct SensorSample(Temperature? Temperature, RelativeHumidity? Humidity, Pressure? Pressure);

/// <summary>The outcome of one read: a sample, or why there is none.</summary>
public readonly record struct SensorReadResult
{
    private SensorReadResult(SensorSample sample, SensorFaultKind? fault, string detail)
    {
        Sample = sample;
        Fault = fault;
        Detail = detail;
    }

    /// <summary>The sample, when <see cref="IsSuccess"/>.</summary>
    public SensorSample Sample { get; }

    /// <summary>Why the read failed, or null when it succeeded.</summary>
    public SensorFaultKind? Fault { get; }

    /// <summary>What a person needs to know about a failure; empty on success.</summary>
    public string Detail { get; }

    /// <summary>Whether the read produced a sample.</summary>
    public bool IsSuccess => Fault is null;

    /// <summary>A successful read.</summary>
    /// <param name="sample">What was measured.</param>
    /// <returns>The result.</returns>
    public static SensorReadResult Success(SensorSample sample) => new(sample, null, "");

    /// <summary>A failed read.</summary>
    /// <param name="fault">Why it failed.</param>
    /// <param name="detail">What a person needs to know.</param>
    /// <returns>The result.</returns>
    public static SensorReadResult Failure(SensorFaultKind fault, string detail) => new(default, fault, detail);

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? $"ok {Sample}" : $"{Fault}: {Detail}";
}

/// <summary>
/// One sensor chip and the driver that reads it. A read blocks (the bindings sleep while a chip converts) and is
/// meant to run on a worker thread under the bus's lock; the poller bounds it with a timeout.
/// </summary>
/// <remarks>
/// Not thread-safe: one read at a time. <see cref="Read"/> reports chip failures (absent, NACK, checksum, wrong
/// chip, no data) as a failed <see cref="SensorReadResult"/>, never by throwing, and never returns an old value for
/// a failed read. It opens the chip on first use and again after a failure, so a sensor missing at start-up is
/// picked up when it answers.
/// </remarks>
public interface ISensor : IDisposable
{
    /// <summary>Where the readings come from, e.g. <c>bme280 i2c-1/0x76</c>.</summary>
    string Source { get; }

    /// <summary>The bus whose reads must not overlap, e.g. <c>i2c-1</c>, <c>gpio</c>, <c>w1</c>.</summary>
    string BusKey { get; }

    /// <summary>Reads the chip once.</summary>
    /// <returns>The sample, or why there is none.</returns>
    SensorReadResult Read();
}
