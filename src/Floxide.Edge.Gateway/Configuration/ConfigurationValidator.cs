using Microsoft.Extensions.Configuration;

namespace Floxide.Edge.Gateway.Configuration;

/// <summary>Checks a whole configuration: the layers could be read, every <c>Floxide:*</c> section is known, and every known section is valid.</summary>
/// <param name="sections">The sections registered by the host and its features.</param>
public sealed class ConfigurationValidator(IEnumerable<IGatewayOptionsSection> sections)
{
    private readonly IGatewayOptionsSection[] sections = [.. sections];

    /// <summary>Checks <paramref name="sources"/>' configuration.</summary>
    /// <param name="sources">The layered configuration.</param>
    /// <returns>Every problem, in the order: layers, unknown sections, then each section's.</returns>
    public IReadOnlyList<ConfigurationProblem> Validate(GatewayConfigurationSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var problems = new List<ConfigurationProblem>(sources.LoadProblems());
        problems.AddRange(Validate(sources.Root));
        return problems;
    }

    /// <summary>Checks a configuration.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>Every problem found.</returns>
    public IReadOnlyList<ConfigurationProblem> Validate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<ConfigurationProblem>();
        var known = sections
            .Select(section => section.Path.Split(':'))
            .Where(parts => parts.Length >= 2 && string.Equals(parts[0], "Floxide", StringComparison.OrdinalIgnoreCase))
            .Select(parts => parts[1])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        foreach (var child in configuration.GetSection("Floxide").GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(ConfigurationProblem.For(child.Path, child.Value,
                    $"is not a section this gateway knows; the sections are {string.Join(", ", known.Order(StringComparer.Ordinal))}",
                    OptionsShape.SuggestSection(child.Key, known)));
            }
        }

        foreach (var section in sections)
        {
            problems.AddRange(section.Validate(configuration));
        }

        return problems;
    }
}
