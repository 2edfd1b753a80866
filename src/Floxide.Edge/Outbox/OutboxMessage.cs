namespace Floxide.Edge.Outbox;

/// <summary>What an outbox message carries.</summary>
public enum OutboxMessageKind
{
    /// <summary>An alert (state or event): sent first after a reconnect, never dropped.</summary>
    Alert,

    /// <summary>A reading: sent after the alerts, oldest first; dropped oldest first when the outbox is full or too old.</summary>
    Reading,
}

/// <summary>A message stored in the outbox until the broker acknowledges it.</summary>
/// <param name="Ordinal">Its place in the gateway's order of messages; drained in this order within its kind.</param>
/// <param name="Kind">Alert or reading.</param>
/// <param name="Topic">The topic to publish to.</param>
/// <param name="Payload">The payload.</param>
/// <param name="Retain">Whether to publish it retained.</param>
/// <param name="Timestamp">When it was produced (a reading's own timestamp): the age limit is measured from it.</param>
public sealed record OutboxMessage(long Ordinal, OutboxMessageKind Kind, string Topic, byte[] Payload, bool Retain, DateTimeOffset Timestamp)
{
    /// <summary>The bytes it counts against <see cref="OutboxOptions.MaxBytes"/>.</summary>
    public long Size => Payload.Length + Topic.Length;
}
