using Microsoft.Extensions.Options;

namespace Floxide.Edge.Classification;

/// <summary>
/// Validates <see cref="ClassificationOptions"/> across fields: ascending thresholds, hysteresis narrower than the
/// normal band, calibration and hold in range, quantity names known. Each failure names the key, the value and the fix.
/// </summary>
public sealed class ClassificationOptionsValidator : IValidateOptions<ClassificationOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = ClassificationSettings.Validate(options, out _);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
