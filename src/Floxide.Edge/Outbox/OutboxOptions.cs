using System.ComponentModel.DataAnnotations;
using Floxide.Edge.OptionRules;

namespace Floxide.Edge.Outbox;

/// <summary>How durably the outbox commits.</summary>
public enum OutboxDurability
{
    /// <summary>Every commit is flushed to the card (fsync): a message stored survives a power cut.</summary>
    Full,

    /// <summary>Commits reach the OS but are not flushed each time: survives a crash of the gateway, not a power cut; fewer writes.</summary>
    Normal,
}

/// <summary>
/// The outbox: an SQLite file that holds what could not be published while the broker was unreachable. Bound from
/// <c>Floxide:Outbox</c>.
/// </summary>
public sealed class OutboxOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Floxide:Outbox";

    /// <summary>The SQLite file (its directory must exist and be writable).</summary>
    /// <value>The default is <c>outbox.db</c> in the working directory; under systemd use the state directory.</value>
    [Required]
    public string Path { get; set; } = "outbox.db";

    /// <summary>
    /// The most payload and topic bytes the outbox holds; beyond it the oldest readings are dropped (counted and
    /// logged). Alerts are never dropped.
    /// </summary>
    /// <value>64 KiB to 64 GiB. The default is 64 MiB.</value>
    [Range(65_536, 68_719_476_736)]
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Readings older than this (by their own timestamp) are dropped from the outbox; alerts never are.</summary>
    /// <value>1 minute to 365 days. The default is 7 days.</value>
    [DurationRange("00:01:00", "365.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most messages written in one transaction.</summary>
    /// <value>1 to 10 000. The default is 512.</value>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 512;

    /// <summary>
    /// How long a message may wait for more to share its transaction: longer means fewer, fuller writes to the card,
    /// and a later acknowledgement of the ingested message.
    /// </summary>
    /// <value>0 to 10 seconds. The default is 250 milliseconds.</value>
    [DurationRange("00:00:00", "00:00:10")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How durably each commit is written.</summary>
    /// <value>The default is <see cref="OutboxDurability.Full"/>.</value>
    public OutboxDurability Durability { get; set; } = OutboxDurability.Full;

    /// <summary>WAL pages written before they are copied back into the database file (a checkpoint).</summary>
    /// <value>16 to 100 000. The default is 1000 (about 4 MiB).</value>
    [Range(16, 100_000)]
    public int CheckpointPages { get; set; } = 1000;
}
