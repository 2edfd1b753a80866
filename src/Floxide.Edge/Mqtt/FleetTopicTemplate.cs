using System.Diagnostics.CodeAnalysis;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// A topic template such as <c>fleet/{sensorId}/reading</c>: the subscription filter it stands for, and the sensor id
/// (and quantity) it takes out of a matching topic.
/// </summary>
public sealed class FleetTopicTemplate
{
    private const string SensorIdPlaceholder = "{sensorId}";
    private const string QuantityPlaceholder = "{quantity}";

    private readonly string[] levels;
    private readonly int sensorIdLevel;
    private readonly int quantityLevel;
    private readonly bool endsWithMultiLevel;

    private FleetTopicTemplate(string template, string[] levels, int sensorIdLevel, int quantityLevel, Quantity bareNumberQuantity)
    {
        Template = template;
        this.levels = levels;
        this.sensorIdLevel = sensorIdLevel;
        this.quantityLevel = quantityLevel;
        endsWithMultiLevel = levels[^1] == "#";
        BareNumberQuantity = bareNumberQuantity;
        Filter = string.Join('/', levels.Select(level => level is SensorIdPlaceholder or QuantityPlaceholder ? "+" : level));
    }

    /// <summary>The template as configured.</summary>
    public string Template { get; }

    /// <summary>The MQTT topic filter to subscribe to: the template with each placeholder replaced by <c>+</c>.</summary>
    public string Filter { get; }

    /// <summary>Whether the template takes the quantity from the topic.</summary>
    public bool HasQuantityLevel => quantityLevel >= 0;

    /// <summary>The quantity of a bare-number payload when the topic names none.</summary>
    public Quantity BareNumberQuantity { get; }

    /// <summary>Parses a template.</summary>
    /// <param name="template">The template, e.g. <c>fleet/{sensorId}/reading</c>.</param>
    /// <param name="bareNumberQuantity">The quantity of a bare-number payload when the topic names none.</param>
    /// <param name="parsed">The template, when valid.</param>
    /// <param name="error">Why it is not valid, when it is not.</param>
    /// <returns><see langword="true"/> when the template is valid.</returns>
    public static bool TryParse(
        string? template,
        Quantity bareNumberQuantity,
        [NotNullWhen(true)] out FleetTopicTemplate? parsed,
        [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(template))
        {
            error = "the template is empty; give one such as 'fleet/{sensorId}/reading'";
            return false;
        }

        if (template.StartsWith('$'))
        {
            error = "topics starting with '$' are the broker's; use Floxide:Mqtt:Ingest:SharedGroup for '$share/...'";
            return false;
        }

        var levels = template.Split('/');
        int sensorIdLevel = -1, quantityLevel = -1;
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            switch (level)
            {
                case SensorIdPlaceholder when sensorIdLevel >= 0:
                case QuantityPlaceholder when quantityLevel >= 0:
                    error = $"'{level}' appears more than once";
                    return false;
                case SensorIdPlaceholder:
                    sensorIdLevel = i;
                    continue;
                case QuantityPlaceholder:
                    quantityLevel = i;
                    continue;
                case "+":
                    continue;
                case "#" when i == levels.Length - 1:
                    continue;
                case "#":
                    error = "'#' may only be the last level";
                    return false;
            }

            if (level.AsSpan().IndexOfAny("+#{}") >= 0)
            {
                error = $"level '{level}' mixes text with a wildcard or placeholder; a level is either literal text, '+', '#', '{{sensorId}}' or '{{quantity}}'";
                return false;
            }
        }

        if (sensorIdLevel < 0)
        {
            error = "the template has no '{sensorId}' level";
            return false;
        }

        parsed = new FleetTopicTemplate(template, levels, sensorIdLevel, quantityLevel, bareNumberQuantity);
        error = null;
        return true;
    }

    /// <summary>Parses a template, throwing when it is not valid.</summary>
    /// <param name="template">The template.</param>
    /// <param name="bareNumberQuantity">The quantity of a bare-number payload when the topic names none.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentException">The template is not valid.</exception>
    public static FleetTopicTemplate Parse(string template, Quantity bareNumberQuantity = Quantity.Temperature) =>
        TryParse(template, bareNumberQuantity, out var parsed, out var error)
            ? parsed
            : throw new ArgumentException($"Topic template '{template}' is not valid: {error}.", nameof(template));

    /// <summary>Matches a topic against the template and takes out the sensor id and the quantity level.</summary>
    /// <param name="topic">A topic a message arrived on.</param>
    /// <param name="sensorId">The sensor id level, not yet validated.</param>
    /// <param name="quantity">The quantity level's text, or empty when the template has none.</param>
    /// <returns><see langword="true"/> when the topic matches.</returns>
    public bool TryMatch(string topic, out ReadOnlySpan<char> sensorId, out ReadOnlySpan<char> quantity)
    {
        sensorId = default;
        quantity = default;
        var rest = topic.AsSpan();
        var exhausted = false;
        for (var i = 0; i < levels.Length; i++)
        {
            // "a/#" matches "a" itself as well as everything below it.
            if (i == levels.Length - 1 && endsWithMultiLevel)
            {
                return true;
            }

            if (exhausted)
            {
                return false;
            }

            var separator = rest.IndexOf('/');
            var level = separator < 0 ? rest : rest[..separator];
            exhausted = separator < 0;
            rest = exhausted ? [] : rest[(separator + 1)..];
            if (i == sensorIdLevel)
            {
                sensorId = level;
            }
            else if (i == quantityLevel)
            {
                quantity = level;
            }
            else if (levels[i] != "+" && !level.SequenceEqual(levels[i]))
            {
                return false;
            }
        }

        return exhausted;
    }

    /// <inheritdoc/>
    public override string ToString() => Template;
}
