using System.Collections.Concurrent;
using Floxide.Edge.Mqtt;

namespace Floxide.Edge.Tests.Mqtt;

/// <summary>Records a connection's status changes and lets a test await one.</summary>
internal sealed class StatusRecorder
{
    private readonly object gate = new();
    private readonly List<(Func<MqttConnectionStatus, bool> Match, TaskCompletionSource<MqttConnectionStatus> Done)> waiters = [];

    public StatusRecorder(MqttConnection connection) => connection.StatusChanged += OnChanged;

    public ConcurrentQueue<MqttConnectionStatus> History { get; } = new();

    public int Count(MqttConnectionState state) => History.Count(s => s.State == state);

    /// <summary>Waits for a status that matches, counting from the next change (or an earlier one if <paramref name="includePast"/>).</summary>
    public Task<MqttConnectionStatus> WaitForAsync(Func<MqttConnectionStatus, bool> match, bool includePast = true, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource<MqttConnectionStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            var past = includePast ? History.FirstOrDefault(match) : null;
            if (past is not null)
            {
                return Task.FromResult(past);
            }

            waiters.Add((match, done));
        }

        return done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
    }

    public Task<MqttConnectionStatus> WaitForAsync(MqttConnectionState state, bool includePast = true, TimeSpan? timeout = null) =>
        WaitForAsync(s => s.State == state, includePast, timeout);

    /// <summary>Waits until <paramref name="state"/> has been reported more than <paramref name="seenBefore"/> times, however early.</summary>
    public Task WaitForOccurrenceAsync(MqttConnectionState state, int seenBefore, TimeSpan? timeout = null)
    {
        var occurrence = 0;
        lock (gate)
        {
            return WaitForAsync(s => s.State == state && ++occurrence > seenBefore, includePast: true, timeout);
        }
    }

    private void OnChanged(MqttConnectionStatus status)
    {
        lock (gate)
        {
            History.Enqueue(status);
            foreach (var waiter in waiters.Where(w => w.Match(status)).ToList())
            {
                waiters.Remove(waiter);
                waiter.Done.TrySetResult(status);
            }
        }
    }
}
