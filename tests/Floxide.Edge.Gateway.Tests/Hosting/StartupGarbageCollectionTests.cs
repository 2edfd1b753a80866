using Floxide.Edge.Gateway.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Gateway.Tests.Hosting;

public sealed class StartupGarbageCollectionTests
{
    [Fact]
    public async Task Start_ApplicationStartedAndDelayPassed_RunsOneFullCollection()
    {
        var time = new FakeTimeProvider();
        using var lifetime = new Lifetime();
        using var collection = new StartupGarbageCollection(lifetime, time);
        var fullCollections = GC.CollectionCount(GC.MaxGeneration);

        await collection.StartAsync(CancellationToken.None);
        time.Advance(StartupGarbageCollection.Delay);
        Assert.False(collection.Collected, "the delay counts from the application's start, not the service's");

        lifetime.Start();
        time.Advance(StartupGarbageCollection.Delay - TimeSpan.FromMilliseconds(1));
        Assert.False(collection.Collected);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(collection.Collected);
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullCollections);
    }

    [Fact]
    public async Task Stop_BeforeTheDelayPassed_NeverCollects()
    {
        var time = new FakeTimeProvider();
        using var lifetime = new Lifetime();
        using var collection = new StartupGarbageCollection(lifetime, time);

        await collection.StartAsync(CancellationToken.None);
        lifetime.Start();
        await collection.StopAsync(CancellationToken.None);
        time.Advance(StartupGarbageCollection.Delay);

        Assert.False(collection.Collected);
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource started = new();
        private readonly CancellationTokenSource stopping = new();
        private readonly CancellationTokenSource stopped = new();

        public CancellationToken ApplicationStarted => started.Token;

        public CancellationToken ApplicationStopping => stopping.Token;

        public CancellationToken ApplicationStopped => stopped.Token;

        public void Start() => started.Cancel();

        public void StopApplication() => stopping.Cancel();

        public void Dispose()
        {
            started.Dispose();
            stopping.Dispose();
            stopped.Dispose();
        }
    }
}
