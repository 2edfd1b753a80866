using Floxide.Core.Routing;

namespace Floxide.Core.Tests.Routing;

public sealed class RouteTableTests
{
    private enum Signal
    {
        Go,
        Stop,
    }

    [Fact]
    public void TryGetNext_KnownRoute_GivesTargetIndexAndLabel()
    {
        var table = new RouteTable<Signal>(["a", "b"], [new("a", Signal.Go, "b")]);

        Assert.True(table.TryGetNext(0, Signal.Go, out var target));
        Assert.Equal(new RouteTarget(1, "Go"), target);
        Assert.False(table.TryGetNext(0, Signal.Stop, out _));
        Assert.False(table.TryGetNext(1, Signal.Go, out _));
    }

    [Fact]
    public void IndexOf_UnknownId_IsMinusOne() =>
        Assert.Equal(-1, new RouteTable<Signal>(["a"], []).IndexOf("b"));

    [Fact]
    public void Constructor_RouteToUnknownNode_Throws() =>
        Assert.Throws<ArgumentException>(() => new RouteTable<Signal>(["a"], [new("a", Signal.Go, "b")]));

    [Fact]
    public void Constructor_DuplicateRoute_Throws() =>
        Assert.Throws<ArgumentException>(() => new RouteTable<Signal>(["a"], [new("a", Signal.Go, "a"), new("a", Signal.Go, "a")]));
}
