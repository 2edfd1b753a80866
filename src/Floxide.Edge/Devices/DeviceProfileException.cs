namespace Floxide.Edge.Devices;

/// <summary>One problem in a device profile: the file, the key and what was expected there.</summary>
/// <param name="File">The profile's file, e.g. <c>devices/bme280/profile.json</c>.</param>
/// <param name="Key">The JSON path of the offending key, e.g. <c>quantities.temperature.min</c>, or <c>$</c> for the whole file.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record DeviceProfileError(string File, string Key, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{File}: '{Key}' {Message}";
}

/// <summary>One or more device profiles are invalid; <see cref="Errors"/> names each problem.</summary>
public sealed class DeviceProfileException : Exception
{
    /// <summary>Creates the exception for <paramref name="errors"/>.</summary>
    /// <param name="errors">The problems, at least one.</param>
    public DeviceProfileException(IReadOnlyList<DeviceProfileError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates an exception with a message.</summary>
    public DeviceProfileException()
        : this([])
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DeviceProfileException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DeviceProfileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<DeviceProfileError> Errors { get; }

    private static string Describe(IReadOnlyList<DeviceProfileError> errors) => errors.Count switch
    {
        0 => "A device profile is invalid.",
        1 => $"Invalid device profile: {errors[0]}",
        _ => $"{errors.Count} problems in device profiles:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors),
    };
}
