namespace Floxide.Events;

/// <summary>Merges sources: forwards the events of one source into a <see cref="ChannelEventSource{TEvent}"/> that others feed too.</summary>
public static class EventSourceForwarding
{
    /// <summary>
    /// Copies every event of <paramref name="source"/>, converted by <paramref name="convert"/>, into
    /// <paramref name="target"/> until <paramref name="source"/> completes or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <typeparam name="TIn">The events of the source.</typeparam>
    /// <typeparam name="TOut">The events of the target.</typeparam>
    /// <param name="source">The source to drain.</param>
    /// <param name="target">The channel to feed; it is not completed when <paramref name="source"/> is.</param>
    /// <param name="convert">Turns a source event into a target event.</param>
    /// <param name="cancellationToken">Stops the forwarding.</param>
    /// <returns>A task that completes when <paramref name="source"/> has completed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task ForwardToAsync<TIn, TOut>(
        this IEventSource<TIn> source, ChannelEventSource<TOut> target, Func<TIn, TOut> convert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(convert);
        while (true)
        {
            TIn @event;
            try
            {
                @event = await source.WaitForEventAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (EventSourceCompletedException)
            {
                return;
            }

            await target.WriteAsync(convert(@event), cancellationToken).ConfigureAwait(false);
        }
    }
}
