using System.Diagnostics.Metrics;
using System.Text;
using Floxide.Edge.Outbox;
using Floxide.Edge.Tests.Mqtt;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Outbox;

public sealed class OutboxStoreTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("floxide-outbox-");
    private readonly Meter meter = new("Floxide.Edge.Tests.Outbox." + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z"));
    private readonly TestLogger<OutboxStore> logger = new();

    public void Dispose()
    {
        meter.Dispose();
        directory.Delete(recursive: true);
    }

    private OutboxOptions Options(Action<OutboxOptions>? configure = null)
    {
        var options = new OutboxOptions { Path = Path.Combine(directory.FullName, "outbox.db") };
        configure?.Invoke(options);
        return options;
    }

    private OutboxStore Open(OutboxOptions options) => OutboxStore.Open(options, logger, time, meter);

    private static OutboxMessage Message(OutboxStore store, OutboxMessageKind kind, string text, DateTimeOffset timestamp, int padding = 0) =>
        new(store.NextOrdinal(), kind, $"floxide/gw/{text}/state", Encoding.UTF8.GetBytes(text + new string('x', padding)), kind == OutboxMessageKind.Alert, timestamp);

    [Fact]
    public void Peek_AfterReopen_ReturnsAlertsFirstThenReadingsInOrder()
    {
        var options = Options();
        using (var store = Open(options))
        {
            store.Append([Message(store, OutboxMessageKind.Reading, "r1", time.GetUtcNow()), Message(store, OutboxMessageKind.Alert, "a1", time.GetUtcNow())]);
            store.Append([Message(store, OutboxMessageKind.Reading, "r2", time.GetUtcNow()), Message(store, OutboxMessageKind.Alert, "a2", time.GetUtcNow())]);
        }

        using var reopened = Open(options);
        var messages = reopened.Peek(10);

        Assert.Equal(["a1", "a2", "r1", "r2"], messages.Select(m => Encoding.UTF8.GetString(m.Payload)));
        Assert.Equal([true, true, false, false], messages.Select(m => m.Retain));
        Assert.Equal(4, reopened.Count);
        Assert.Equal(2, reopened.AlertCount);
        Assert.True(reopened.NextOrdinal() > messages.Max(m => m.Ordinal));
        Assert.Contains(logger.Messages(), m => m.Contains("holds 2 alert(s) and 2 reading(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void Delete_Acknowledged_RemovesThemAndTheirBytes()
    {
        using var store = Open(Options());
        store.Append([Message(store, OutboxMessageKind.Reading, "r1", time.GetUtcNow()), Message(store, OutboxMessageKind.Reading, "r2", time.GetUtcNow())]);
        var first = store.Peek(1);

        store.Delete(first);

        Assert.Equal(1, store.Count);
        Assert.Equal("r2", Encoding.UTF8.GetString(store.Peek(10).Single().Payload));
        Assert.Equal(store.Peek(10).Sum(m => m.Size), store.StoredBytes);
    }

    [Fact]
    public void Append_OverMaxBytes_DropsOldestReadingsCountsAndLogsButKeepsAlerts()
    {
        using var store = Open(Options(o => o.MaxBytes = 65_536));
        using var dropped = new MetricCollector<long>(meter, "floxide.outbox.dropped");
        store.Append([Message(store, OutboxMessageKind.Alert, "alert-0", time.GetUtcNow(), padding: 1000)]);
        for (var i = 0; i < 100; i++)
        {
            store.Append([Message(store, OutboxMessageKind.Reading, $"r{i:000}", time.GetUtcNow(), padding: 1000)]);
        }

        Assert.True(store.StoredBytes <= 65_536, $"{store.StoredBytes} bytes stored");
        Assert.Equal(1, store.AlertCount);
        var readings = store.Peek(200).Where(m => m.Kind == OutboxMessageKind.Reading).Select(m => Encoding.UTF8.GetString(m.Payload)[..4]).ToList();
        Assert.Equal("r099", readings[^1]);
        Assert.Equal(100 - readings.Count, store.DroppedReadings);
        Assert.Equal(store.DroppedReadings, dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal([.. readings.Order(StringComparer.Ordinal)], readings);
        Assert.Contains(logger.Messages(), m => m.Contains("oldest reading(s), over 65536 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Append_OnlyAlertsOverMaxBytes_NeverDropsAlerts()
    {
        using var store = Open(Options(o => o.MaxBytes = 65_536));
        for (var i = 0; i < 100; i++)
        {
            store.Append([Message(store, OutboxMessageKind.Alert, $"a{i}", time.GetUtcNow(), padding: 1000)]);
        }

        Assert.Equal(100, store.AlertCount);
        Assert.Equal(0, store.DroppedReadings);
        Assert.Contains(logger.Messages(), m => m.Contains("alerts are never dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void Append_ReadingsOlderThanMaxAge_DropsThemButKeepsOldAlerts()
    {
        using var store = Open(Options(o => o.MaxAge = TimeSpan.FromHours(1)));
        var old = time.GetUtcNow();
        store.Append([Message(store, OutboxMessageKind.Reading, "old", old), Message(store, OutboxMessageKind.Alert, "old-alert", old)]);
        time.Advance(TimeSpan.FromMinutes(90));

        store.Append([Message(store, OutboxMessageKind.Reading, "new", time.GetUtcNow())]);

        Assert.Equal(["old-alert", "new"], store.Peek(10).Select(m => Encoding.UTF8.GetString(m.Payload)));
        Assert.Equal(1, store.DroppedReadings);
    }

    [Fact]
    public void Append_Batched_WritesFarFewerBytesThanOneTransactionPerMessage()
    {
        using var batched = Open(Options(o => o.Path = Path.Combine(directory.FullName, "batched.db")));
        using var single = Open(Options(o => o.Path = Path.Combine(directory.FullName, "single.db")));
        var batch = Enumerable.Range(0, 200).Select(i => Message(batched, OutboxMessageKind.Reading, $"r{i}", time.GetUtcNow(), padding: 80)).ToList();
        var baselineBatched = batched.BytesWritten;
        var baselineSingle = single.BytesWritten;

        batched.Append(batch);
        foreach (var message in batch)
        {
            single.Append([message]);
        }

        var batchedBytes = batched.BytesWritten - baselineBatched;
        var singleBytes = single.BytesWritten - baselineSingle;
        Assert.True(batchedBytes > 200 * 80, $"batched wrote {batchedBytes} bytes, less than the payloads");
        Assert.True(batchedBytes * 10 < singleBytes, $"batched {batchedBytes} bytes vs one per message {singleBytes} bytes");
    }
}
