namespace Floxide.Edge.Readings;

/// <summary>
/// Tells the producer of a reading that the gateway is done with it for good: its output was published or durably
/// stored, or it was deliberately dropped (invalid, filtered). An MQTT QoS 1 ingest acknowledges the broker only
/// then, so a crash before that point loses nothing.
/// </summary>
/// <remarks>Implementations are thread-safe and idempotent: a second call does nothing.</remarks>
public interface IReadingReceipt
{
    /// <summary>Reports that the reading has been dealt with.</summary>
    void Complete();
}
