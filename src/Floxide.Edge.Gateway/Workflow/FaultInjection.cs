using Floxide.Edge.Gateway.Hosting;
using Floxide.Events;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Gateway.Workflow;

/// <summary>
/// Applies <see cref="DebugOptions"/> to a workflow's processors while it is built, so a drill can make one node hang
/// and watch the systemd watchdog restart the gateway.
/// </summary>
public static partial class FaultInjection
{
    /// <summary>Wraps <paramref name="processor"/> in a hanging decorator when <see cref="DebugOptions.HangNode"/> names it.</summary>
    /// <typeparam name="TEvent">The workflow's events.</typeparam>
    /// <typeparam name="TContext">The state shared by its nodes.</typeparam>
    /// <typeparam name="TAction">Its route labels.</typeparam>
    /// <param name="processor">The processor.</param>
    /// <param name="options">The debug options.</param>
    /// <param name="logger">Warns that a hang is armed, and when it starts.</param>
    /// <returns>The processor itself, or the decorator.</returns>
    public static IEventProcessor<TEvent, TContext, TAction> Apply<TEvent, TContext, TAction>(
        IEventProcessor<TEvent, TContext, TAction> processor, DebugOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (!string.Equals(options.HangNode, processor.Id, StringComparison.Ordinal))
        {
            return processor;
        }

        LogArmed(logger, processor.Id, options.HangAfterEvents);
        return new HangingProcessor<TEvent, TContext, TAction>(processor, options.HangAfterEvents, logger);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Floxide:Debug:HangNode: node '{Node}' will hang after {Events} events")]
    private static partial void LogArmed(ILogger logger, string node, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Floxide:Debug:HangNode: node '{Node}' hangs now")]
    private static partial void LogHanging(ILogger logger, string node);

    private sealed class HangingProcessor<TEvent, TContext, TAction>(
        IEventProcessor<TEvent, TContext, TAction> inner, int hangAfterEvents, ILogger logger)
        : IEventProcessor<TEvent, TContext, TAction>
    {
        private int processed;

        public string Id => inner.Id;

        public async ValueTask<TAction> ProcessEventAsync(TEvent @event, TContext context, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref processed) > hangAfterEvents)
            {
                LogHanging(logger, inner.Id);

                // Like a driver waiting on a bus that never answers: nothing but shutdown ends it.
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }

            return await inner.ProcessEventAsync(@event, context, cancellationToken).ConfigureAwait(false);
        }
    }
}
