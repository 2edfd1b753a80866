using Floxide.Core;

namespace Floxide.Core.Tests;

internal sealed class DelegateNode<TContext>(string id, Func<TContext, CancellationToken, ValueTask<NodeOutcome<string>>> execute)
    : INode<TContext, string>
{
    public string Id => id;

    public ValueTask<NodeOutcome<string>> ExecuteAsync(TContext context, CancellationToken cancellationToken = default) =>
        execute(context, cancellationToken);

    public static DelegateNode<TContext> Routing(string id, string action, Action<TContext>? effect = null) =>
        new(id, (context, _) =>
        {
            effect?.Invoke(context);
            return ValueTask.FromResult(NodeOutcome.Route(action));
        });
}

internal sealed class Trail
{
    public List<string> Visited { get; } = [];
}
