using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Floxide.Edge.OptionRules;

/// <summary>
/// Requires a <see cref="TimeSpan"/> setting to lie within a range, bounds included. Unlike
/// <c>[Range(typeof(TimeSpan), …)]</c>, it converts nothing by reflection, so it holds in a trimmed or NativeAOT build.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class DurationRangeAttribute : ValidationAttribute
{
    /// <summary>Creates the rule from two durations in the invariant <c>[d.]hh:mm:ss[.fffffff]</c> form.</summary>
    /// <param name="minimum">The smallest allowed duration, e.g. <c>00:00:01</c>.</param>
    /// <param name="maximum">The largest allowed duration, e.g. <c>1.00:00:00</c>.</param>
    /// <exception cref="FormatException">A bound is not a duration.</exception>
    public DurationRangeAttribute(string minimum, string maximum)
    {
        MinimumText = minimum;
        MaximumText = maximum;
        Minimum = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
        Maximum = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);
    }

    /// <summary>The smallest allowed duration.</summary>
    public TimeSpan Minimum { get; }

    /// <summary>The largest allowed duration.</summary>
    public TimeSpan Maximum { get; }

    /// <summary>The smallest allowed duration as written in the attribute.</summary>
    public string MinimumText { get; }

    /// <summary>The largest allowed duration as written in the attribute.</summary>
    public string MaximumText { get; }

    /// <inheritdoc/>
    public override bool IsValid(object? value) => value is not TimeSpan duration || (duration >= Minimum && duration <= Maximum);

    /// <inheritdoc/>
    public override string FormatErrorMessage(string name) => $"{name} must be from {MinimumText} to {MaximumText}.";
}
