using System.Globalization;
using Floxide.Edge.Classification;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Alerts;

/// <summary>Validates <see cref="AlertOptions"/>; each failure names the key, the value and the fix.</summary>
public sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    private const string Section = AlertOptions.SectionName;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem of <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The problems; empty when valid.</returns>
    public static IReadOnlyList<string> Problems(AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.RenotifyInterval != TimeSpan.Zero && (options.RenotifyInterval < TimeSpan.FromMinutes(1) || options.RenotifyInterval > TimeSpan.FromDays(7)))
        {
            problems.Add(Invariant($"{Section}:RenotifyInterval is {options.RenotifyInterval}; set 00:00:00 (no reminders) or 00:01:00 to 7.00:00:00."));
        }

        if (string.IsNullOrWhiteSpace(options.StateFile))
        {
            problems.Add(Invariant($"{Section}:StateFile is empty; set a file path (e.g. alerts.json) so active alerts survive a restart."));
        }

        if (!(options.StaleFactor is >= 1.5 and <= 100))
        {
            problems.Add(Invariant($"{Section}:StaleFactor is {options.StaleFactor}; set 1.5 to 100 sensor intervals (3 is usual)."));
        }

        if (options.CheckInterval < TimeSpan.FromSeconds(1) || options.CheckInterval > TimeSpan.FromMinutes(10))
        {
            problems.Add(Invariant($"{Section}:CheckInterval is {options.CheckInterval}; set 00:00:01 to 00:10:00."));
        }

        CheckSeverity(options.StaleSeverity, "StaleSeverity", problems);
        CheckSeverity(options.OfflineSeverity, "OfflineSeverity", problems);
        problems.AddRange(DeliveryProblems(options.Delivery ?? new AlertDeliveryOptions()));
        var pins = new HashSet<int>();
        for (var i = 0; i < (options.GpioOutputs?.Count ?? 0); i++)
        {
            var output = options.GpioOutputs![i];
            var key = $"{Section}:GpioOutputs:{i}";
            if (output.Pin is < 0 or > 1000)
            {
                problems.Add(Invariant($"{key}:Pin is {output.Pin}; set the output's GPIO pin number (BCM numbering, e.g. 17)."));
            }
            else if (!pins.Add(output.Pin))
            {
                problems.Add(Invariant($"{key}:Pin is {output.Pin}, which another output already drives; give each output its own pin."));
            }

            if (output.Severity is not (Severity.Warning or Severity.Critical))
            {
                problems.Add(Invariant($"{key}:Severity is {output.Severity}; set Warning or Critical."));
            }

            if (!Enum.IsDefined(output.Pattern))
            {
                problems.Add(Invariant($"{key}:Pattern is {output.Pattern}; set Steady or Blink."));
            }

            if (output.BlinkPeriod < TimeSpan.FromMilliseconds(100) || output.BlinkPeriod > TimeSpan.FromSeconds(10))
            {
                problems.Add(Invariant($"{key}:BlinkPeriod is {output.BlinkPeriod}; set 00:00:00.1 to 00:00:10."));
            }
        }

        return problems;
    }

    /// <summary>Every problem of the delivery options.</summary>
    internal static List<string> DeliveryProblems(AlertDeliveryOptions delivery)
    {
        var problems = new List<string>();
        if (delivery.MaxRetryAttempts is < 0 or > 100)
        {
            problems.Add(Invariant($"{Section}:Delivery:MaxRetryAttempts is {delivery.MaxRetryAttempts}; set 0 to 100."));
        }

        if (delivery.RetryDelay < TimeSpan.Zero || delivery.RetryDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add(Invariant($"{Section}:Delivery:RetryDelay is {delivery.RetryDelay}; set 00:00:00 to 00:01:00."));
        }

        if (delivery.MaxRetryDelay < delivery.RetryDelay || delivery.MaxRetryDelay > TimeSpan.FromHours(1))
        {
            problems.Add(Invariant($"{Section}:Delivery:MaxRetryDelay is {delivery.MaxRetryDelay}; set from RetryDelay ({delivery.RetryDelay}) to 01:00:00."));
        }

        if (delivery.AttemptTimeout < TimeSpan.FromSeconds(1) || delivery.AttemptTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add(Invariant($"{Section}:Delivery:AttemptTimeout is {delivery.AttemptTimeout}; set 00:00:01 to 00:10:00 (how long one delivery attempt may take before it counts as failed and is retried)."));
        }

        return problems;
    }

    private static string Invariant(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);

    private static void CheckSeverity(Severity severity, string field, List<string> problems)
    {
        if (severity is not (Severity.Warning or Severity.Critical))
        {
            problems.Add(Invariant($"{Section}:{field} is {severity}; set Warning or Critical."));
        }
    }
}
