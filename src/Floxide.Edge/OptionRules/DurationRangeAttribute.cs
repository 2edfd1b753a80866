using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;

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

    /// <summary>
    /// The rule stated on a property, so a feature's own validator checks the same range as the attribute rather than a
    /// copy of it.
    /// </summary>
    /// <typeparam name="TOptions">The options class.</typeparam>
    /// <param name="propertyName">The property, e.g. <c>nameof(SensorsOptions.ReadTimeout)</c>.</param>
    /// <returns>The property's rule.</returns>
    /// <exception cref="ArgumentException">The property has no such rule.</exception>
    public static DurationRangeAttribute Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(string propertyName) =>
        typeof(TOptions).GetProperty(propertyName)?.GetCustomAttribute<DurationRangeAttribute>()
        ?? throw new ArgumentException($"{typeof(TOptions).Name}.{propertyName} has no [DurationRange].", nameof(propertyName));

    /// <summary>Says what is wrong with <paramref name="value"/> in the words of a feature validator, or nothing when it is in range.</summary>
    /// <param name="key">The setting's key, e.g. <c>Floxide:Sensors:ReadTimeout</c>.</param>
    /// <param name="value">The configured duration.</param>
    /// <param name="defaultValue">The setting's default, named in the fix.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public string? Problem(string key, TimeSpan value, TimeSpan defaultValue) =>
        IsValid(value) ? null : $"{key} is {value:c}; set it from {MinimumText} to {MaximumText} (default {defaultValue:c}).";

    /// <inheritdoc/>
    public override bool IsValid(object? value) => value is not TimeSpan duration || (duration >= Minimum && duration <= Maximum);

    /// <inheritdoc/>
    public override string FormatErrorMessage(string name) => $"{name} must be from {MinimumText} to {MaximumText}.";
}
