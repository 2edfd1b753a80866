namespace Floxide.Events.Tests;

internal sealed class DelegateProcessor<TEvent, TContext>(string id, Func<TEvent, TContext, CancellationToken, ValueTask<string>> process)
    : IEventProcessor<TEvent, TContext, string>
{
    public string Id => id;

    public ValueTask<string> ProcessEventAsync(TEvent @event, TContext context, CancellationToken cancellationToken = default) =>
        process(@event, context, cancellationToken);

    public static DelegateProcessor<TEvent, TContext> Returning(string id, Func<TEvent, string> action) =>
        new(id, (@event, _, _) => ValueTask.FromResult(action(@event)));
}

/// <summary>A source that also decides its events' first route, as ADR-0009's EventDrivenNode does.</summary>
internal sealed class SelfRoutingSource(string id, ChannelEventSource<int> inner, Func<int, string> route)
    : IEventDrivenNode<int, Journal, string>
{
    public string Id => id;

    public ValueTask<int> WaitForEventAsync(CancellationToken cancellationToken = default) => inner.WaitForEventAsync(cancellationToken);

    public ValueTask<string> ProcessEventAsync(int @event, Journal context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(route(@event));
}

internal sealed class Journal
{
    public List<string> Entries { get; } = [];
}
