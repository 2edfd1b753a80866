using Microsoft.Extensions.Options;

namespace Floxide.Edge.Outbox;

/// <summary>The rules of <see cref="OutboxOptions"/> beyond data annotations; each failure names the key, the value and the fix.</summary>
public sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = Path.GetDirectoryName(Path.GetFullPath(options.Path));
        if (directory is not null && !Directory.Exists(directory))
        {
            return ValidateOptionsResult.Fail(
                $"Floxide:Outbox:Path '{options.Path}' is in directory '{directory}', which does not exist; create it (under systemd: StateDirectory=) or fix the path.");
        }

        return ValidateOptionsResult.Success;
    }
}
