using System.Diagnostics.Metrics;
using Floxide.Edge.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Outbox;

/// <summary>
/// The outbox's SQLite file: messages appended in batches (one transaction each, write-ahead log), read back alerts
/// first and then readings in their original order, deleted once acknowledged. Bounded by size and age: the oldest
/// readings are dropped first, counted and logged; alerts are never dropped. Counts the bytes it makes SQLite write,
/// since a Pi's SD card wears with every one.
/// </summary>
/// <remarks>
/// Thread-safe (one connection behind a lock). Written to only while the broker is unreachable or a backlog drains:
/// while connected, messages go straight to the broker and the card is not touched.
/// </remarks>
public sealed partial class OutboxStore : IDisposable
{
    private const int SqliteDbStatusCacheWrite = 9;
    private const int WalFrameHeaderBytes = 24;

    private readonly OutboxOptions options;
    private readonly ILogger<OutboxStore> logger;
    private readonly TimeProvider timeProvider;
    private readonly SqliteConnection connection;
    private readonly Lock gate = new();
    private readonly Counter<long> dropped;
    private readonly int pageSize;
    private long nextOrdinal;
    private long alertCount;
    private long readingCount;
    private long storedBytes;
    private long bytesWritten;
    private long walPagesSinceCheckpoint;
    private long droppedReadings;
    private DateTimeOffset? oldestReading;

    private OutboxStore(OutboxOptions options, ILogger<OutboxStore> logger, TimeProvider timeProvider, Meter meter, SqliteConnection connection)
    {
        this.options = options;
        this.logger = logger;
        this.timeProvider = timeProvider;
        this.connection = connection;
        dropped = meter.CreateCounter<long>("floxide.outbox.dropped", "{message}", "Readings dropped from the outbox (oldest first) because it was full or they were too old, by reason.");
        meter.CreateObservableGauge("floxide.outbox.messages", () => Count, "{message}", "Messages waiting in the outbox.");
        meter.CreateObservableGauge("floxide.outbox.size", () => StoredBytes, "By", "Payload and topic bytes waiting in the outbox.");
        meter.CreateObservableCounter("floxide.outbox.bytes_written", () => BytesWritten, "By", "Bytes SQLite wrote for the outbox (WAL frames and checkpoints).");
        pageSize = (int)Scalar("PRAGMA page_size;");
    }

    /// <summary>Messages stored.</summary>
    public long Count => Interlocked.Read(ref alertCount) + Interlocked.Read(ref readingCount);

    /// <summary>Alerts stored.</summary>
    public long AlertCount => Interlocked.Read(ref alertCount);

    /// <summary>Readings stored.</summary>
    public long ReadingCount => Interlocked.Read(ref readingCount);

    /// <summary>Payload and topic bytes stored, measured against <see cref="OutboxOptions.MaxBytes"/>.</summary>
    public long StoredBytes => Interlocked.Read(ref storedBytes);

    /// <summary>Bytes SQLite has written to the WAL and, at checkpoints, to the database file, since open.</summary>
    public long BytesWritten => Interlocked.Read(ref bytesWritten);

    /// <summary>Readings dropped because the outbox was full or they were too old, since open.</summary>
    public long DroppedReadings => Interlocked.Read(ref droppedReadings);

    /// <summary>Opens (creating if need be) the outbox file.</summary>
    /// <param name="options">The outbox options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock for the age limit.</param>
    /// <param name="meter">The gateway's meter.</param>
    /// <returns>The store.</returns>
    /// <exception cref="SqliteException">The file cannot be opened or is not an outbox.</exception>
    public static OutboxStore Open(OutboxOptions options, ILogger<OutboxStore> logger, TimeProvider timeProvider, Meter meter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(meter);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        try
        {
            var store = new OutboxStore(options, logger, timeProvider, meter, connection);
            store.Initialise();
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Takes the next ordinal: the order in which messages are drained within their kind.</summary>
    /// <returns>The ordinal.</returns>
    public long NextOrdinal() => Interlocked.Increment(ref nextOrdinal);

    /// <summary>The last ordinal taken: every message taken before has an ordinal at most this.</summary>
    public long LastOrdinal => Interlocked.Read(ref nextOrdinal);

    /// <summary>Stores a batch in one transaction, then enforces the size and age limits.</summary>
    /// <param name="batch">The messages.</param>
    public void Append(IReadOnlyList<OutboxMessage> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        lock (gate)
        {
            using (var transaction = connection.BeginTransaction())
            {
                using var alerts = Insert("alerts", transaction);
                using var readings = Insert("readings", transaction);
                foreach (var message in batch)
                {
                    var insert = message.Kind == OutboxMessageKind.Alert ? alerts : readings;
                    insert.Parameters[0].Value = message.Ordinal;
                    insert.Parameters[1].Value = message.Topic;
                    insert.Parameters[2].Value = message.Payload;
                    insert.Parameters[3].Value = message.Retain ? 1 : 0;
                    insert.Parameters[4].Value = message.Timestamp.ToUnixTimeMilliseconds();
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            foreach (var message in batch)
            {
                Interlocked.Increment(ref message.Kind == OutboxMessageKind.Alert ? ref alertCount : ref readingCount);
                Interlocked.Add(ref storedBytes, message.Size);
                if (message.Kind == OutboxMessageKind.Reading && (oldestReading is null || message.Timestamp < oldestReading))
                {
                    oldestReading = message.Timestamp;
                }
            }

            CountWrites();
            EnforceLimits();
        }
    }

    /// <summary>Reads the next messages to send: alerts first, then readings, each in their original order.</summary>
    /// <param name="limit">The most to read.</param>
    /// <returns>The messages; empty when the outbox is empty.</returns>
    public IReadOnlyList<OutboxMessage> Peek(int limit)
    {
        lock (gate)
        {
            var messages = new List<OutboxMessage>(Math.Min(limit, 1024));
            Read("alerts", OutboxMessageKind.Alert, limit, messages);
            if (messages.Count < limit)
            {
                Read("readings", OutboxMessageKind.Reading, limit - messages.Count, messages);
            }

            return messages;
        }
    }

    /// <summary>Deletes messages the broker acknowledged, in one transaction.</summary>
    /// <param name="messages">The messages.</param>
    public void Delete(IReadOnlyCollection<OutboxMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        lock (gate)
        {
            using (var transaction = connection.BeginTransaction())
            {
                using var alerts = DeleteCommand("alerts", transaction);
                using var readings = DeleteCommand("readings", transaction);
                foreach (var message in messages)
                {
                    var delete = message.Kind == OutboxMessageKind.Alert ? alerts : readings;
                    delete.Parameters[0].Value = message.Ordinal;
                    if (delete.ExecuteNonQuery() == 1)
                    {
                        Interlocked.Decrement(ref message.Kind == OutboxMessageKind.Alert ? ref alertCount : ref readingCount);
                        Interlocked.Add(ref storedBytes, -message.Size);
                    }
                }

                transaction.Commit();
            }

            if (Interlocked.Read(ref readingCount) == 0)
            {
                oldestReading = null;
            }

            CountWrites();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (gate)
        {
            connection.Dispose();
        }
    }

    private void Initialise()
    {
        Execute("PRAGMA journal_mode=WAL;");
        Execute(options.Durability == OutboxDurability.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
        // Checkpoints are ours, so that the bytes they write are counted and their rhythm is configurable.
        Execute("PRAGMA wal_autocheckpoint=0;");
        // Two tables instead of one with a kind column and an index: drain order is each table's primary key, and no
        // index page is written per message.
        Execute("CREATE TABLE IF NOT EXISTS alerts (ordinal INTEGER PRIMARY KEY, topic TEXT NOT NULL, payload BLOB NOT NULL, retain INTEGER NOT NULL, timestamp INTEGER NOT NULL);");
        Execute("CREATE TABLE IF NOT EXISTS readings (ordinal INTEGER PRIMARY KEY, topic TEXT NOT NULL, payload BLOB NOT NULL, retain INTEGER NOT NULL, timestamp INTEGER NOT NULL);");
        nextOrdinal = Math.Max(Scalar("SELECT IFNULL(MAX(ordinal), 0) FROM alerts;"), Scalar("SELECT IFNULL(MAX(ordinal), 0) FROM readings;"));
        alertCount = Scalar("SELECT COUNT(*) FROM alerts;");
        readingCount = Scalar("SELECT COUNT(*) FROM readings;");
        storedBytes = Scalar("SELECT IFNULL(SUM(length(payload) + length(topic)), 0) FROM alerts;")
                      + Scalar("SELECT IFNULL(SUM(length(payload) + length(topic)), 0) FROM readings;");
        RefreshOldestReading();
        CountWrites();
        if (Count > 0)
        {
            LogOpenedWithBacklog(logger, options.Path, AlertCount, ReadingCount, StoredBytes);
        }
    }

    private void EnforceLimits()
    {
        var cutoff = timeProvider.GetUtcNow() - options.MaxAge;
        if (oldestReading is { } oldest && oldest < cutoff)
        {
            var removed = DeleteReadingsWhere("timestamp < @value", cutoff.ToUnixTimeMilliseconds());
            Dropped(removed, "age", $"older than {options.MaxAge}");
            RefreshOldestReading();
        }

        if (StoredBytes > options.MaxBytes && ReadingCount > 0)
        {
            // Free a tenth of the limit at once, so that a full outbox does not delete on every append.
            var target = options.MaxBytes - (options.MaxBytes / 10);
            var lastOrdinal = 0L;
            var freed = 0L;
            using (var oldestFirst = connection.CreateCommand())
            {
                oldestFirst.CommandText = "SELECT ordinal, length(payload) + length(topic) FROM readings ORDER BY ordinal;";
                using var reader = oldestFirst.ExecuteReader();
                while (StoredBytes - freed > target && reader.Read())
                {
                    lastOrdinal = reader.GetInt64(0);
                    freed += reader.GetInt64(1);
                }
            }

            var removed = DeleteReadingsWhere("ordinal <= @value", lastOrdinal);
            Dropped(removed, "size", $"over {options.MaxBytes} bytes");
            RefreshOldestReading();
        }

        if (StoredBytes > options.MaxBytes && ReadingCount == 0)
        {
            LogFullOfAlerts(logger, StoredBytes, options.MaxBytes);
        }
    }

    private long DeleteReadingsWhere(string condition, long value)
    {
        long removedBytes;
        long removed;
        using (var transaction = connection.BeginTransaction())
        {
            using (var measure = connection.CreateCommand())
            {
                measure.Transaction = transaction;
                measure.CommandText = $"SELECT COUNT(*), IFNULL(SUM(length(payload) + length(topic)), 0) FROM readings WHERE {condition};";
                measure.Parameters.AddWithValue("@value", value);
                using var reader = measure.ExecuteReader();
                reader.Read();
                removed = reader.GetInt64(0);
                removedBytes = reader.GetInt64(1);
            }

            using (var delete = connection.CreateCommand())
            {
                delete.Transaction = transaction;
                delete.CommandText = $"DELETE FROM readings WHERE {condition};";
                delete.Parameters.AddWithValue("@value", value);
                delete.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Interlocked.Add(ref readingCount, -removed);
        Interlocked.Add(ref storedBytes, -removedBytes);
        CountWrites();
        return removed;
    }

    private void Dropped(long removed, string reason, string limit)
    {
        if (removed == 0)
        {
            return;
        }

        Interlocked.Add(ref droppedReadings, removed);
        dropped.Add(removed, new KeyValuePair<string, object?>(FloxideTelemetry.Tags.Cause, reason));
        LogDropped(logger, removed, limit, ReadingCount, AlertCount, StoredBytes);
    }

    private void RefreshOldestReading()
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(timestamp) FROM readings;";
        oldestReading = command.ExecuteScalar() is long milliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;
    }

    private void Read(string table, OutboxMessageKind kind, int limit, List<OutboxMessage> into)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT ordinal, topic, payload, retain, timestamp FROM {table} ORDER BY ordinal LIMIT @limit;";
        command.Parameters.AddWithValue("@limit", limit);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            into.Add(new OutboxMessage(
                reader.GetInt64(0), kind, reader.GetString(1), (byte[])reader.GetValue(2), reader.GetInt64(3) != 0,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }
    }

    private SqliteCommand Insert(string table, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT OR REPLACE INTO {table} (ordinal, topic, payload, retain, timestamp) VALUES (@o, @t, @p, @r, @ts);";
        command.Parameters.Add("@o", SqliteType.Integer);
        command.Parameters.Add("@t", SqliteType.Text);
        command.Parameters.Add("@p", SqliteType.Blob);
        command.Parameters.Add("@r", SqliteType.Integer);
        command.Parameters.Add("@ts", SqliteType.Integer);
        command.Prepare();
        return command;
    }

    private SqliteCommand DeleteCommand(string table, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"DELETE FROM {table} WHERE ordinal = @o;";
        command.Parameters.Add("@o", SqliteType.Integer);
        command.Prepare();
        return command;
    }

    private void CountWrites()
    {
        SQLitePCL.raw.sqlite3_db_status(connection.Handle, SqliteDbStatusCacheWrite, out var pages, out _, 1);
        Interlocked.Add(ref bytesWritten, (long)pages * (pageSize + WalFrameHeaderBytes));
        walPagesSinceCheckpoint += pages;
        if (walPagesSinceCheckpoint < options.CheckpointPages)
        {
            return;
        }

        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var reader = checkpoint.ExecuteReader();
        if (reader.Read())
        {
            Interlocked.Add(ref bytesWritten, reader.GetInt64(2) * pageSize);
        }

        walPagesSinceCheckpoint = 0;
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Outbox {Path} holds {Alerts} alert(s) and {Readings} reading(s) ({Bytes} bytes) from before; they are sent once connected")]
    private static partial void LogOpenedWithBacklog(ILogger logger, string path, long alerts, long readings, long bytes);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Outbox: dropped the {Count} oldest reading(s), {Limit} (Floxide:Outbox); it now holds {Readings} reading(s) and {Alerts} alert(s), {Bytes} bytes")]
    private static partial void LogDropped(ILogger logger, long count, string limit, long readings, long alerts, long bytes);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Outbox: {Bytes} bytes of alerts exceed Floxide:Outbox:MaxBytes ({MaxBytes}); alerts are never dropped")]
    private static partial void LogFullOfAlerts(ILogger logger, long bytes, long maxBytes);
}
