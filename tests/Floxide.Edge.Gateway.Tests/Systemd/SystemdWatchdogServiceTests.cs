using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Systemd;
using Floxide.Edge.Gateway.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Gateway.Tests.Systemd;

/// <summary>The watchdog's cadence on a fake clock, over a real notification socket: exact, where the process test can only be statistical.</summary>
public sealed class SystemdWatchdogServiceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ExecuteAsync_Healthy_PingsOnceAtStartThenOncePerHalfPeriod_AndWithholdsWhileUnhealthy()
    {
        using var socket = NotifySocketListener.AtPath();
        using var notifier = new SystemdNotifySocket(socket.Address, NullLogger<SystemdNotifySocket>.Instance);
        var time = new FakeTimeProvider();
        var health = new GatewayHealth([], time);
        using var heartbeat = health.AddHeartbeat("poller", TimeSpan.FromSeconds(2));
        var withheld = new CountingLogger<SystemdWatchdogService>(LogLevel.Warning);
        using var watchdog = new SystemdWatchdogService(notifier, new SystemdWatchdogSettings(TimeSpan.FromSeconds(2)), health, time, withheld);

        await watchdog.StartAsync(CancellationToken.None);
        await socket.WaitForAsync(_ => Pings(socket) == 1, Patience);
        for (var expected = 2; expected <= 4; expected++)
        {
            heartbeat.Beat();
            time.Advance(TimeSpan.FromSeconds(1));
            await socket.WaitForAsync(_ => Pings(socket) == expected, Patience);
        }

        // The poller falls silent. At +2 s it is still within its limit; past it the pings are withheld.
        time.Advance(TimeSpan.FromSeconds(1));
        await socket.WaitForAsync(_ => Pings(socket) == 5, Patience);
        time.Advance(TimeSpan.FromSeconds(1));
        await withheld.WaitForCountAsync(1).WaitAsync(Patience);
        time.Advance(TimeSpan.FromSeconds(1));
        await withheld.WaitForCountAsync(2).WaitAsync(Patience);

        heartbeat.Beat();
        time.Advance(TimeSpan.FromSeconds(1));
        await socket.WaitForAsync(_ => Pings(socket) == 6, Patience);
        await watchdog.StopAsync(CancellationToken.None);

        Assert.Equal(6, Pings(socket));
        Assert.Equal(2, withheld.Count);
    }

    private static int Pings(NotifySocketListener socket) => socket.Received.Count(message => message.Has("WATCHDOG=1"));
}

/// <summary>Counts log entries at one level, so a test can await the n-th without polling.</summary>
internal sealed class CountingLogger<T>(LogLevel level) : ILogger<T>
{
    private readonly List<(int Count, TaskCompletionSource Reached)> waiters = [];

    public int Count { get; private set; }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel != level)
        {
            return;
        }

        lock (waiters)
        {
            Count++;
            waiters.RemoveAll(waiter => waiter.Count <= Count && waiter.Reached.TrySetResult());
        }
    }

    public Task WaitForCountAsync(int count)
    {
        lock (waiters)
        {
            if (Count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((count, reached));
            return reached.Task;
        }
    }
}
