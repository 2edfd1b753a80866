using System.Text.RegularExpressions;

namespace Floxide.Edge.Gateway.Configuration;

/// <summary>One thing wrong with the configuration: the key, its value, what is wrong and how to fix it.</summary>
/// <param name="Key">The full key, e.g. <c>Floxide:Metrics:Port</c>, or a file path for a file that cannot be read.</param>
/// <param name="Value">The value as configured (hidden for secrets), or <see langword="null"/> when the problem is with the key itself (an unknown section, a file that cannot be read).</param>
/// <param name="Problem">What is wrong, e.g. <c>must be from 1 to 65535</c>.</param>
/// <param name="Fix">What to do, e.g. <c>set a port from 1 to 65535</c>; may be empty when <paramref name="Problem"/> says it.</param>
public sealed partial record ConfigurationProblem(string Key, string? Value, string Problem, string Fix)
{
    private static readonly string[] SecretWords = ["password", "secret", "token", "credential"];

    /// <summary>Creates a problem, hiding the value when the key names a secret.</summary>
    /// <param name="key">The full key.</param>
    /// <param name="value">The configured value.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="fix">What to do.</param>
    /// <returns>The problem.</returns>
    public static ConfigurationProblem For(string key, string? value, string problem, string fix) =>
        new(key, IsSecret(key) && value is not null ? "(hidden)" : value, problem, fix);

    /// <summary>Whether a key names a secret whose value must never be printed.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> for passwords, secrets, tokens and credentials.</returns>
    public static bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var last = key[(key.LastIndexOf(':') + 1)..];
        return SecretWords.Any(word => last.Contains(word, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A problem reported by an <c>IValidateOptions</c> validator, whose message names key, value and fix itself.</summary>
    /// <param name="sectionPath">The section the validator checks.</param>
    /// <param name="message">The validator's message.</param>
    /// <returns>The problem, keyed by the message's leading <c>Floxide:…</c> key when it has one.</returns>
    public static ConfigurationProblem FromValidatorMessage(string sectionPath, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var match = ValidatorMessage().Match(message);
        if (match.Success)
        {
            return For(match.Groups["key"].Value, match.Groups["value"].Value, match.Groups["problem"].Value, match.Groups["fix"].Value.TrimEnd('.'));
        }

        // Other validators lead with the key ("Floxide:Alerts:StaleFactor is 0.5; set 1.5 to 100 …"): key it by that.
        var leading = LeadingKey().Match(message);
        return leading.Success
            ? new(leading.Groups["key"].Value, null, leading.Groups["rest"].Value.TrimEnd('.'), string.Empty)
            : new(sectionPath, null, message.TrimEnd('.'), string.Empty);
    }

    [GeneratedRegex(@"^(?<key>Floxide(?::[A-Za-z0-9_.$-]+)+)\s+(?<rest>.+)$", RegexOptions.Singleline)]
    private static partial Regex LeadingKey();

    // The house convention for validator messages: "Floxide:Section:Key = 'value': what is wrong. Fix: what to do."
    [GeneratedRegex(@"^(?<key>Floxide:\S+) = '(?<value>.*?)': (?<problem>.+?)\.(?: Fix: (?<fix>.+))?$", RegexOptions.Singleline)]
    private static partial Regex ValidatorMessage();

    /// <inheritdoc/>
    public override string ToString()
    {
        // Without a value (a section, a file, a key a validator names) the problem speaks of the key itself.
        var value = Value is null ? string.Empty : $" = '{Value}'";
        var fix = string.IsNullOrEmpty(Fix) ? string.Empty : $" Fix: {Fix.TrimEnd('.')}.";
        return $"{Key}{value}: {Problem}.{fix}";
    }
}
