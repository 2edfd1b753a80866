using Floxide.Edge.Devices;
using Floxide.Edge.OptionRules;
using Floxide.Edge.Sensors;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Simulation;

/// <summary>Checks <see cref="SimulationOptions"/>: every problem at once, each naming the key, the value and the fix.</summary>
/// <param name="catalog">The device profiles on-board simulated sensors may name.</param>
public sealed class SimulationOptionsValidator(DeviceCatalog catalog) : IValidateOptions<SimulationOptions>
{
    private const string Section = SimulationOptions.SectionName;
    private static readonly SimulationOptions Defaults = new();
    private static readonly DurationRangeAttribute FleetIntervalRange = DurationRangeAttribute.Of<SimulationOptions>(nameof(SimulationOptions.FleetInterval));

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem of <paramref name="options"/>, one message each.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The messages; empty when the options are valid.</returns>
    public IEnumerable<string> Problems(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.FleetSensors is < 0 or > 100_000)
        {
            yield return $"{Section}:FleetSensors is {options.FleetSensors}; set a count from 0 to 100000 (default 8).";
        }

        if (FleetIntervalRange.Problem($"{Section}:FleetInterval", options.FleetInterval, Defaults.FleetInterval) is { } fleetInterval)
        {
            yield return fleetInterval;
        }

        if (string.IsNullOrEmpty(options.FleetIdPrefix) || !SensorsOptionsValidator.IsValidId(options.FleetIdPrefix + "000"))
        {
            yield return $"{Section}:FleetIdPrefix is \"{options.FleetIdPrefix}\"; use letters, digits, '-', '_' or '.', such as \"sim-\".";
        }

        foreach (var (key, value) in new[] { ("SpikeProbability", options.SpikeProbability), ("DropoutProbability", options.DropoutProbability) })
        {
            if (!(value >= 0 && value <= 1))
            {
                yield return $"{Section}:{key} is {value}; set a probability from 0 to 1.";
            }
        }

        if (options.DropoutReadings is < 1 or > 10_000)
        {
            yield return $"{Section}:DropoutReadings is {options.DropoutReadings}; set a count from 1 to 10000 (default 6).";
        }

        if (!(options.NoiseScale >= 0 && options.NoiseScale <= 10))
        {
            yield return $"{Section}:NoiseScale is {options.NoiseScale}; set it from 0 (no noise) to 10 (default 1).";
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var index = 0; index < options.EffectiveOnBoard.Count; index++)
        {
            var model = options.EffectiveOnBoard[index];
            if (!catalog.TryGet(model, out var profile))
            {
                yield return $"{Section}:OnBoard:{index} is \"{model}\", which is not a device profile; use one of {string.Join(", ", catalog.Models)}.";
            }
            else if (!seen.Add(profile.Model))
            {
                yield return $"{Section}:OnBoard:{index} is \"{model}\", listed already; list each model once.";
            }
            else if (options.OnBoardInterval is { } interval && interval < profile.MinimumInterval)
            {
                yield return $"{Section}:OnBoardInterval is {interval:c}; a {profile.Model} may be read at most every {profile.MinimumInterval:c}, so set {profile.MinimumInterval:c} or more, or remove it.";
            }
        }
    }
}
