namespace Floxide.Edge.Classification;

/// <summary>Why a reading was judged invalid (or, for <see cref="Stuck"/>, suspect).</summary>
public enum InvalidReason
{
    /// <summary>A value is NaN or infinite.</summary>
    NotANumber,

    /// <summary>A value is outside the physical range of the sensor's device profile.</summary>
    OutOfRange,

    /// <summary>The timestamp is further in the future than the allowed clock skew.</summary>
    InFuture,

    /// <summary>The timestamp is older than the allowed reading age.</summary>
    TooOld,

    /// <summary>The sensor is not in the <see cref="Sensors.SensorDirectory"/>.</summary>
    UnknownSensor,

    /// <summary>The reading carries no quantity at all.</summary>
    NoValues,

    /// <summary>A value changed faster than the sensor's rate-of-change limit: a spike.</summary>
    RateOfChange,

    /// <summary>A value has not changed for the configured number of readings (suspect, not invalid).</summary>
    Stuck,
}

/// <summary>Names of <see cref="InvalidReason"/> values as used in metrics (<c>cause</c> tag) and logs.</summary>
public static class InvalidReasons
{
    /// <summary>The reason's name: <c>not-a-number</c>, <c>out-of-range</c>, <c>in-future</c>, <c>too-old</c>, <c>unknown-sensor</c>, <c>no-values</c>, <c>rate-of-change</c>, <c>stuck</c>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>Its name.</returns>
    public static string Name(this InvalidReason reason) => reason switch
    {
        InvalidReason.NotANumber => "not-a-number",
        InvalidReason.OutOfRange => "out-of-range",
        InvalidReason.InFuture => "in-future",
        InvalidReason.TooOld => "too-old",
        InvalidReason.UnknownSensor => "unknown-sensor",
        InvalidReason.NoValues => "no-values",
        InvalidReason.RateOfChange => "rate-of-change",
        InvalidReason.Stuck => "stuck",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
