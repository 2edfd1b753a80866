using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Alerts;

/// <summary>The alert state that survives a restart: the active alerts and the next notification sequence.</summary>
/// <param name="NextSequence">The sequence number of the next notification.</param>
/// <param name="Alerts">The active alerts with when each was last notified.</param>
public sealed record AlertState(long NextSequence, IReadOnlyList<PersistedAlert> Alerts)
{
    /// <summary>No alerts, sequence starting at 1.</summary>
    public static AlertState Empty { get; } = new(1, []);
}

/// <summary>An active alert as persisted.</summary>
/// <param name="Alert">The alert.</param>
/// <param name="LastNotifiedAt">
/// When it was last notified, as of the last write. For information only: reminders are not written (an SD card
/// wears), so this is only as fresh as the last change of any alert, and a restart counts as the last notification.
/// </param>
public sealed record PersistedAlert(Alert Alert, DateTimeOffset LastNotifiedAt);

/// <summary>
/// Keeps <see cref="AlertState"/> in a JSON file. Writes go through a background writer that keeps only the newest
/// state, replaces the file atomically (write a temporary file, flush it to disk, rename over the old one), and runs
/// only when the state changed, so the workflow loop never waits on the SD card and the card is not worn by ticks.
/// With a minimum write interval, changes that come faster than that share one write: a restart within the interval
/// after a change may then see the state from before it (and notify that alert again), while a stream of alert changes
/// under load costs one write per interval instead of one per change. <see cref="FlushAsync"/> and disposing write at
/// once.
/// </summary>
/// <remarks>Thread-safe. <see cref="Load"/> is meant for start-up; <see cref="Save"/> may be called from any thread.</remarks>
public sealed partial class AlertStateFile : IAsyncDisposable
{
    private readonly TimeProvider timeProvider;
    private readonly ILogger<AlertStateFile> logger;
    private readonly TimeSpan minimumWriteInterval;
    private readonly Channel<(AlertState State, long Version)> pending = Channel.CreateBounded<(AlertState State, long Version)>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Task writer;
    private readonly object flushLock = new();
    private long requested;
    private long completed;
    private long written;
    private long failed;
    private TaskCompletionSource flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource hurry = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the store and starts its background writer.</summary>
    /// <param name="path">The file; its directory is created when missing.</param>
    /// <param name="timeProvider">The gateway's clock, which names an unreadable file set aside.</param>
    /// <param name="logger">Logs write failures and unreadable files.</param>
    /// <param name="minimumWriteInterval">The least time between two writes; zero writes each change at once.</param>
    public AlertStateFile(string path, TimeProvider timeProvider, ILogger<AlertStateFile> logger, TimeSpan minimumWriteInterval = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumWriteInterval, TimeSpan.Zero);
        Path = System.IO.Path.GetFullPath(path);
        this.minimumWriteInterval = minimumWriteInterval;
        this.timeProvider = timeProvider;
        this.logger = logger;
        writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>How many times the file has been written since start.</summary>
    public long Writes => Interlocked.Read(ref written);

    /// <summary>How many writes have failed since start (each logged); the writer carries on with the next state.</summary>
    public long FailedWrites => Interlocked.Read(ref failed);

    /// <summary>Reads the state; a missing file is an empty state, and an unreadable one is set aside and logged.</summary>
    /// <returns>The state.</returns>
    public AlertState Load()
    {
        if (!File.Exists(Path))
        {
            return AlertState.Empty;
        }

        try
        {
            using var stream = File.OpenRead(Path);
            var state = JsonSerializer.Deserialize(stream, AlertStateJsonContext.Default.AlertState);
            return state is { Alerts: not null } ? state : AlertState.Empty;
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            var aside = string.Create(CultureInfo.InvariantCulture, $"{Path}.unreadable-{timeProvider.GetUtcNow():yyyyMMddHHmmss}");
            TryMove(Path, aside);
            LogUnreadable(exception, Path, aside);
            return AlertState.Empty;
        }
    }

    /// <summary>Queues <paramref name="state"/> to be written; a newer state queued before the write replaces it.</summary>
    /// <param name="state">The state.</param>
    public void Save(AlertState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (flushLock)
        {
            // The version travels with the state: writing version v makes every older version obsolete.
            pending.Writer.TryWrite((state, ++requested));
        }
    }

    /// <summary>Waits until every state queued so far is on disk (or failed to write and was logged).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the queue is written.</returns>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Hurry();
        while (true)
        {
            Task wait;
            lock (flushLock)
            {
                if (completed >= requested || writer.IsCompleted)
                {
                    return;
                }

                wait = flushed.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes what is queued and stops the writer.</summary>
    /// <returns>A task that completes when the writer has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        Hurry();
        await writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var reader = pending.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    Write(item.State);
                    Interlocked.Increment(ref written);
                }
                catch (Exception exception)
                {
                    // Whatever failed (the disk, the permissions, a value JSON cannot hold), the writer must live on:
                    // the next change is written afresh, and FlushAsync still means "written or logged".
                    Interlocked.Increment(ref failed);
                    LogWriteFailed(exception, Path);
                }

                lock (flushLock)
                {
                    completed = item.Version;
                    flushed.TrySetResult();
                    flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                await RestAsync().ConfigureAwait(false);
            }
        }

        lock (flushLock)
        {
            flushed.TrySetResult();
        }
    }

    /// <summary>Waits out the minimum write interval, unless a flush or the disposal asks for the write now.</summary>
    private async Task RestAsync()
    {
        if (minimumWriteInterval == TimeSpan.Zero)
        {
            return;
        }

        Task hurried;
        lock (flushLock)
        {
            hurried = hurry.Task;
        }

        using var rest = new CancellationTokenSource();
        var delay = Task.Delay(minimumWriteInterval, timeProvider, rest.Token);
        if (await Task.WhenAny(delay, hurried).ConfigureAwait(false) == hurried)
        {
            await rest.CancelAsync().ConfigureAwait(false);
        }

        lock (flushLock)
        {
            if (hurry.Task.IsCompleted)
            {
                hurry = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void Hurry()
    {
        lock (flushLock)
        {
            hurry.TrySetResult();
        }
    }

    private void Write(AlertState state)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, state, AlertStateJsonContext.Default.AlertState);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }

    private static void TryMove(string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The alert state file {Path} could not be read; it was moved to {Aside} and the gateway starts with no active alerts. Inspect or delete the moved file.")]
    private partial void LogUnreadable(Exception exception, string path, string aside);

    [LoggerMessage(Level = LogLevel.Error, Message = "The alert state could not be written to {Path}; active alerts may be forgotten by a restart. Check the directory exists and is writable (systemd: StateDirectory=). The next change of an alert is written afresh.")]
    private partial void LogWriteFailed(Exception exception, string path);
}

/// <summary>Source-generated JSON for <see cref="AlertState"/>, so persisting needs no reflection (trimming-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AlertState))]
internal sealed partial class AlertStateJsonContext : JsonSerializerContext;
