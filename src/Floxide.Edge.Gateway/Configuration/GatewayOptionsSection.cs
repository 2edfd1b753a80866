using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Floxide.Edge.OptionRules;

namespace Floxide.Edge.Gateway.Configuration;

/// <summary>
/// A configuration section the gateway knows: it can check any configuration (the running one, a reloaded file, a
/// file given to <c>floxide-edge validate</c>) and name every problem with key, value and fix. Register one per
/// options class with <see cref="GatewayOptionsServiceCollectionExtensions.AddGatewayOptions{TOptions}"/>.
/// </summary>
public interface IGatewayOptionsSection
{
    /// <summary>The section's path, e.g. <c>Floxide:Metrics</c>.</summary>
    string Path { get; }

    /// <summary>Checks the section in <paramref name="configuration"/>.</summary>
    /// <param name="configuration">The whole configuration.</param>
    /// <returns>Every problem found; empty when valid.</returns>
    IReadOnlyList<ConfigurationProblem> Validate(IConfiguration configuration);
}

/// <summary>
/// Checks one options class's section in three passes, so that every problem is named at once: unknown keys and values
/// that do not convert (which would stop binding), then data annotations on each property (nested objects and list
/// items included), then the class's <see cref="IValidateOptions{TOptions}"/> validators.
/// </summary>
/// <typeparam name="TOptions">The options class.</typeparam>
internal sealed class GatewayOptionsSection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
    string path,
    Action<IConfiguration, TOptions> bind,
    IEnumerable<IValidateOptions<TOptions>> validators,
    bool validateDataAnnotations)
    : IGatewayOptionsSection
    where TOptions : class, new()
{
    public string Path => path;

    public IReadOnlyList<ConfigurationProblem> Validate(IConfiguration configuration)
    {
        var section = configuration.GetSection(path);
        var problems = new List<ConfigurationProblem>();
        OptionsShape.CheckKeysAndValues(section, typeof(TOptions), problems);

        // Values that do not convert would stop the binder at the first one; leave them out so that the remaining
        // settings are still bound and checked, and every problem is reported in one go.
        IConfiguration bindable = section;
        if (problems.Count > 0)
        {
            var unconvertible = problems.Select(problem => problem.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var prefix = section.Path + ConfigurationPath.KeyDelimiter;
            bindable = new ConfigurationBuilder()
                .AddInMemoryCollection(section.AsEnumerable()
                    .Where(pair => pair.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !unconvertible.Contains(pair.Key)
                        && !unconvertible.Any(key => pair.Key.StartsWith(key + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase)))
                    .Select(pair => KeyValuePair.Create(pair.Key[prefix.Length..], pair.Value)))
                .Build();
        }

        var options = new TOptions();
        try
        {
            bind(bindable, options);
        }
        catch (InvalidOperationException exception)
        {
            problems.Add(new ConfigurationProblem(path, null, exception.Message, "correct the value named in the message"));
            return problems;
        }

        if (validateDataAnnotations)
        {
            var reported = problems.Select(problem => problem.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var annotationProblems = new List<ConfigurationProblem>();
            OptionsShape.CheckAnnotations(options, typeof(TOptions), path, section, annotationProblems);
            problems.AddRange(annotationProblems.Where(problem => !reported.Contains(problem.Key)));
        }

        // A feature's validator may check what an annotation already reported: say each key's problem once.
        var alreadyReported = problems.Select(problem => problem.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var validator in validators)
        {
            var result = validator.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                problems.AddRange(result.Failures
                    .Select(failure => ConfigurationProblem.FromValidatorMessage(path, failure))
                    .Where(problem => string.Equals(problem.Key, path, StringComparison.OrdinalIgnoreCase) || !alreadyReported.Contains(problem.Key)));
            }
        }

        return problems;
    }
}

/// <summary>Walks an options class's public properties, the way the configuration binder sees them.</summary>
internal static class OptionsShape
{
    private const DynamicallyAccessedMemberTypes Shape = DynamicallyAccessedMemberTypes.PublicProperties;

    public static void CheckKeysAndValues(IConfigurationSection section, [DynamicallyAccessedMembers(Shape)] Type type, List<ConfigurationProblem> problems)
    {
        var properties = BindableProperties(type);
        if (properties.Count == 0)
        {
            // Without metadata (a trimmed nested type) there is nothing to compare with; the binder still checks.
            return;
        }

        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                problems.Add(ConfigurationProblem.For(child.Path, child.Value, "is not a setting here",
                    Suggest(child.Key, properties.Keys)));
                continue;
            }

            CheckValue(child, property.PropertyType, problems);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Nested option types without kept metadata are skipped, never misreported: BindableProperties returns none for them.")]
    [UnconditionalSuppressMessage("Trimming", "IL2062", Justification = "As above.")]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "As above.")]
    private static void CheckValue(IConfigurationSection child, Type type, List<ConfigurationProblem> problems)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(target))
        {
            if (child.Value is null)
            {
                if (child.GetChildren().Any())
                {
                    problems.Add(ConfigurationProblem.For(child.Path, null, $"is a section, but a single {Describe(target)} is expected",
                        $"give '{child.Key}' one value"));
                }

                return;
            }

            if (!TryConvert(child.Value, target, out var expected))
            {
                problems.Add(ConfigurationProblem.For(child.Path, child.Value, $"is not {expected}", $"write {Example(target)}"));
            }

            return;
        }

        if (ElementType(target) is { } element)
        {
            foreach (var item in child.GetChildren())
            {
                CheckValue(item, element, problems);
            }

            return;
        }

        if (child.Value is not null && !child.GetChildren().Any() && child.Value.Length > 0)
        {
            problems.Add(ConfigurationProblem.For(child.Path, child.Value, "is a single value, but a section is expected",
                $"give '{child.Key}' its settings as an object"));
            return;
        }

        CheckKeysAndValues(child, target, problems);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Nested option types without kept metadata are skipped: BindableProperties returns none for them.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "As above.")]
    public static void CheckAnnotations(object instance, [DynamicallyAccessedMembers(Shape)] Type type, string path, IConfigurationSection section, List<ConfigurationProblem> problems)
    {
        foreach (var property in BindableProperties(type).Values)
        {
            var key = $"{path}:{property.Name}";
            var value = property.GetValue(instance);
            var configured = section[property.Name];
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
            {
                var context = new ValidationContext(instance, key, serviceProvider: null, items: null) { MemberName = property.Name };
                if (attribute.GetValidationResult(value, context) is { } failure && failure != ValidationResult.Success)
                {
                    problems.Add(ConfigurationProblem.For(key, configured ?? Describe(value), Explain(attribute, key, failure), Fix(attribute)));
                }
            }

            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (value is null || IsScalar(target))
            {
                continue;
            }

            if (ElementType(target) is { } element && !IsScalar(element) && value is IEnumerable items)
            {
                var index = 0;
                foreach (var item in items)
                {
                    if (item is not null)
                    {
                        CheckAnnotations(item, item.GetType(), $"{key}:{index}", section.GetSection($"{property.Name}:{index}"), problems);
                    }

                    index++;
                }
            }
            else if (ElementType(target) is null)
            {
                CheckAnnotations(value, target, key, section.GetSection(property.Name), problems);
            }
        }

        if (instance is IValidatableObject validatable)
        {
            foreach (var result in validatable.Validate(new ValidationContext(instance, path, serviceProvider: null, items: null)))
            {
                var member = result.MemberNames.FirstOrDefault();
                var key = member is null ? path : $"{path}:{member}";
                problems.Add(ConfigurationProblem.For(key, member is null ? null : section[member], result.ErrorMessage ?? "is not valid", string.Empty));
            }
        }
    }

    private static Dictionary<string, PropertyInfo> BindableProperties([DynamicallyAccessedMembers(Shape)] Type type)
    {
        var properties = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && (property.CanWrite || !IsScalar(property.PropertyType)))
            {
                properties.TryAdd(ConfigurationKeyName(property), property);
            }
        }

        return properties;
    }

    private static string ConfigurationKeyName(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    private static bool IsScalar(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target.IsPrimitive || target.IsEnum || target == typeof(string) || target == typeof(decimal)
            || target == typeof(TimeSpan) || target == typeof(DateTimeOffset) || target == typeof(DateTime)
            || target == typeof(Uri) || target == typeof(Guid);
    }

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type.IsGenericType && type.GetGenericArguments() is { Length: 1 } arguments && typeof(IEnumerable).IsAssignableFrom(type))
        {
            return arguments[0];
        }

        if (type.IsGenericType && type.GetGenericArguments() is { Length: 2 } pair && pair[0] == typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            return pair[1];
        }

        return null;
    }

    private static bool TryConvert(string value, Type type, out string expected)
    {
        var invariant = CultureInfo.InvariantCulture;
        (bool ok, expected) = type switch
        {
            _ when type == typeof(string) => (true, "text"),
            _ when type == typeof(bool) => (bool.TryParse(value, out _), "true or false"),
            // 0x76 is how I²C addresses are written; the binder takes it for whole numbers (see SensorsConfiguration).
            _ when IsHex(value) && (type == typeof(int) || type == typeof(long) || type == typeof(byte) || type == typeof(ushort) || type == typeof(uint)) =>
                (ulong.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, invariant, out var hex) && hex <= MaxOf(type), "a whole number"),
            _ when type == typeof(int) => (int.TryParse(value, NumberStyles.Integer, invariant, out _), "a whole number"),
            _ when type == typeof(long) => (long.TryParse(value, NumberStyles.Integer, invariant, out _), "a whole number"),
            _ when type == typeof(short) => (short.TryParse(value, NumberStyles.Integer, invariant, out _), "a whole number from -32768 to 32767"),
            _ when type == typeof(byte) => (byte.TryParse(value, NumberStyles.Integer, invariant, out _), "a whole number from 0 to 255"),
            _ when type == typeof(ushort) => (ushort.TryParse(value, NumberStyles.Integer, invariant, out _), "a whole number from 0 to 65535"),
            _ when type == typeof(uint) => (uint.TryParse(value, NumberStyles.Integer, invariant, out _), "a whole number of 0 or more"),
            _ when type == typeof(ulong) => (ulong.TryParse(value, NumberStyles.Integer, invariant, out _), "a whole number of 0 or more"),
            _ when type == typeof(double) => (double.TryParse(value, NumberStyles.Float, invariant, out _), "a number"),
            _ when type == typeof(float) => (float.TryParse(value, NumberStyles.Float, invariant, out _), "a number"),
            _ when type == typeof(decimal) => (decimal.TryParse(value, NumberStyles.Number, invariant, out _), "a number"),
            _ when type == typeof(TimeSpan) => (TimeSpan.TryParse(value, invariant, out _), "a duration"),
            _ when type == typeof(DateTimeOffset) => (DateTimeOffset.TryParse(value, invariant, DateTimeStyles.None, out _), "a date and time"),
            _ when type == typeof(DateTime) => (DateTime.TryParse(value, invariant, DateTimeStyles.None, out _), "a date and time"),
            _ when type == typeof(Guid) => (Guid.TryParse(value, out _), "a GUID"),
            _ when type == typeof(Uri) => (Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _), "a URI"),
            _ when type.IsEnum => (Enum.TryParse(type, value, ignoreCase: true, out _), $"one of {string.Join(", ", Enum.GetNames(type))}"),
            _ => (true, type.Name),
        };
        return ok;
    }

    internal static bool IsHex(string value) =>
        value.Length > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X');

    private static ulong MaxOf(Type type) => type switch
    {
        _ when type == typeof(byte) => byte.MaxValue,
        _ when type == typeof(ushort) => ushort.MaxValue,
        _ when type == typeof(int) => int.MaxValue,
        _ when type == typeof(uint) => uint.MaxValue,
        _ => long.MaxValue,
    };

    private static string Example(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a duration as hh:mm:ss, e.g. 00:00:05 for five seconds",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number with a '.' for decimals, e.g. 21.5",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 time, e.g. 2026-01-31T12:00:00Z",
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ when type.IsPrimitive => "a whole number, e.g. 5",
        _ => $"a {Describe(type)}",
    };

    private static string Describe(Type type) => type.IsEnum ? type.Name : type.Name.ToLowerInvariant();

    private static string? Describe(object? value) => value switch
    {
        null => null,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable and not string => null,
        _ => value.ToString(),
    };

    private static string Explain(ValidationAttribute attribute, string key, ValidationResult failure)
    {
        // An author's own message speaks for itself; the framework's defaults ("The field X must…") are rephrased.
        if (!string.IsNullOrEmpty(attribute.ErrorMessage))
        {
            return attribute.FormatErrorMessage(key);
        }

        return attribute switch
        {
            RangeAttribute range => $"must be from {range.Minimum} to {range.Maximum}",
            DurationRangeAttribute range => $"must be from {range.MinimumText} to {range.MaximumText}",
            RequiredAttribute => "is required",
            MinLengthAttribute min => $"must have at least {min.Length} characters or items",
            MaxLengthAttribute max => $"must have at most {max.Length} characters or items",
            StringLengthAttribute length => $"must have {length.MinimumLength} to {length.MaximumLength} characters",
            LengthAttribute length => $"must have {length.MinimumLength} to {length.MaximumLength} characters or items",
            RegularExpressionAttribute regex => $"must match the pattern {regex.Pattern}",
            AllowedValuesAttribute allowed => $"must be one of {string.Join(", ", allowed.Values)}",
            DeniedValuesAttribute => "is a value that is not allowed",
            _ => failure.ErrorMessage ?? "is not valid",
        };
    }

    private static string Fix(ValidationAttribute attribute) => attribute switch
    {
        RangeAttribute range => $"set a value from {range.Minimum} to {range.Maximum}",
        DurationRangeAttribute range => $"set a duration from {range.MinimumText} to {range.MaximumText}",
        RequiredAttribute => "set it",
        MinLengthAttribute or MaxLengthAttribute or StringLengthAttribute or LengthAttribute => "shorten or lengthen it to fit",
        RegularExpressionAttribute => "write it in the form the pattern asks for",
        AllowedValuesAttribute allowed => $"use one of {string.Join(", ", allowed.Values)}",
        _ => string.Empty,
    };

    private static string Suggest(string key, IEnumerable<string> known)
    {
        var names = known.ToList();
        return Closest(key, names) is { } closest
            ? $"did you mean '{closest}'? Otherwise remove it"
            : $"remove it; the settings here are {string.Join(", ", names.Order(StringComparer.Ordinal))}";
    }

    private static string? Closest(string key, IEnumerable<string> known) => known
        .Select(name => (name, distance: Distance(key.ToUpperInvariant(), name.ToUpperInvariant())))
        .Where(candidate => candidate.distance <= Math.Max(2, key.Length / 3))
        .OrderBy(candidate => candidate.distance)
        .Select(candidate => candidate.name)
        .FirstOrDefault();

    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The fix for an unknown section: the closest known one, if any is close; the problem lists them all.</summary>
    internal static string SuggestSection(string key, IEnumerable<string> known) =>
        Closest(key, known) is { } closest ? $"did you mean '{closest}'? Otherwise remove it" : "rename it to one of those, or remove it";
}
