using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Readings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Workflow;

/// <summary>
/// Applies <see cref="DebugOptions"/> to the gateway workflow as it is built, so a drill can make a node hang and watch
/// the systemd watchdog restart the gateway. The workflow's nodes are its own; the seam is its reading sink, which the
/// <see cref="PublishNodeId"/> node awaits: a sink that never returns hangs that node exactly as a publish to a broker
/// that never answers would.
/// </summary>
public static partial class FaultInjection
{
    /// <summary>The id of the gateway workflow's node that hands readings to the sink, the one that can be made to hang.</summary>
    public const string PublishNodeId = "publish";

    /// <summary>Wraps <paramref name="sink"/> in a hanging decorator when <see cref="DebugOptions.HangNode"/> names <see cref="PublishNodeId"/>.</summary>
    /// <param name="sink">The workflow's reading sink.</param>
    /// <param name="options">The debug options.</param>
    /// <param name="logger">Warns that a hang is armed, and when it starts.</param>
    /// <returns>The sink itself, or the decorator.</returns>
    public static IReadingSink Apply(IReadingSink sink, DebugOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (!string.Equals(options.HangNode, PublishNodeId, StringComparison.Ordinal))
        {
            return sink;
        }

        LogArmed(logger, PublishNodeId, options.HangAfterEvents);
        return new HangingReadingSink(sink, options.HangAfterEvents, logger);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Floxide:Debug:HangNode: node '{Node}' will hang after {Events} events")]
    private static partial void LogArmed(ILogger logger, string node, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Floxide:Debug:HangNode: node '{Node}' hangs now")]
    private static partial void LogHanging(ILogger logger, string node);

    private sealed class HangingReadingSink(IReadingSink inner, int hangAfterEvents, ILogger logger) : IReadingSink
    {
        private int processed;

        public async ValueTask WriteAsync(SensorReading reading, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref processed) > hangAfterEvents)
            {
                if (processed == hangAfterEvents + 1)
                {
                    LogHanging(logger, PublishNodeId);
                }

                // Like a publish waiting on a broker that never answers: nothing but shutdown ends it.
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }

            await inner.WriteAsync(reading, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Checks <see cref="DebugOptions"/>: only a node that can be made to hang may be named.</summary>
internal sealed class DebugOptionsValidator : IValidateOptions<DebugOptions>
{
    public ValidateOptionsResult Validate(string? name, DebugOptions options)
    {
        var failures = new List<string>();
        if (options.HangNode is { } node && !string.Equals(node, FaultInjection.PublishNodeId, StringComparison.Ordinal))
        {
            failures.Add($"{DebugOptions.Section}:HangNode = '{node}': is not a node that can be made to hang. Fix: use '{FaultInjection.PublishNodeId}', or remove the setting.");
        }

        if (options.HangAfterEvents < 0)
        {
            failures.Add($"{DebugOptions.Section}:HangAfterEvents = '{options.HangAfterEvents}': must be 0 or more. Fix: set how many readings pass before the hang, e.g. 10.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
