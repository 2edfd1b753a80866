namespace Floxide.Edge.Readings;

/// <summary>
/// Where producers (sensor pollers, simulated sources, MQTT ingest) hand events to the gateway's workflow. Readings
/// may hold only a bounded share of the queue, so a flood of readings can never crowd out the faults, status changes
/// and ticks that raise alerts; each producer picks how a reading behaves when that share is full.
/// </summary>
/// <remarks>
/// <para>Thread-safe: any number of producers may write concurrently, from any thread.</para>
/// <para>Pick per reading:</para>
/// <list type="bullet">
/// <item><see cref="TryWriteReading"/> gives way at once when the reading slots are full, and counts the refusal
/// (<c>floxide.readings.dropped</c>): for pollers and simulators, whose next read supersedes this one, and MQTT QoS 0.</item>
/// <item><see cref="WriteReadingAsync"/> waits for a reading slot: for producers that must not lose a reading, such as
/// MQTT QoS 1 ingest, whose wait pushes back on the broker.</item>
/// <item><see cref="WriteAsync"/> for faults, status changes and ticks: they are never refused for lack of reading
/// slots and wait only if the whole queue is full. Given a reading, it behaves as <see cref="WriteReadingAsync"/>.</item>
/// </list>
/// <para>A reading's <see cref="SensorReading.Receipt"/> is completed by the gateway once the reading is queued and
/// dealt with; a reading that was refused or whose write threw is still the caller's.</para>
/// </remarks>
public interface IGatewayEventWriter
{
    /// <summary>Queues <paramref name="reading"/> if a reading slot is free; otherwise refuses it and counts the refusal.</summary>
    /// <param name="reading">The reading.</param>
    /// <returns><see langword="false"/> when refused: the reading slots are full, or the queue no longer takes events.</returns>
    bool TryWriteReading(SensorReading reading);

    /// <summary>Queues <paramref name="reading"/>, waiting for a reading slot.</summary>
    /// <param name="reading">The reading.</param>
    /// <param name="cancellationToken">Cancels the wait; the reading is then not queued.</param>
    /// <returns>A task that completes when the reading is queued.</returns>
    /// <exception cref="System.Threading.Channels.ChannelClosedException">The queue no longer takes events (the gateway is stopping).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask WriteReadingAsync(SensorReading reading, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a fault, status change or tick, never refused for lack of reading slots; a reading is queued as by
    /// <see cref="WriteReadingAsync"/>.
    /// </summary>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the wait for room; the event is then not queued.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    /// <exception cref="System.Threading.Channels.ChannelClosedException">The queue no longer takes events (the gateway is stopping).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask WriteAsync(GatewayEvent @event, CancellationToken cancellationToken = default);
}
