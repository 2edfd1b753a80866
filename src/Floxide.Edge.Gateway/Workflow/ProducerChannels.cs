using System.Threading.Channels;
using Floxide.Edge.Readings;
using Floxide.Edge.Workflow;

namespace Floxide.Edge.Gateway.Workflow;

/// <summary>
/// The one place where producers meet the workflow's queue. Pollers, the simulated sensors and the MQTT ingest take a
/// <see cref="ChannelWriter{T}"/> of <see cref="GatewayEvent"/> today; a reading written straight into
/// <see cref="GatewayEventChannel.Source"/> skips the channel's reading-slot count, and the workflow, which frees a slot
/// for every reading it takes, then dead-letters it. The writers made here send readings through
/// <see cref="GatewayEventChannel.TryWriteReading"/> or <see cref="GatewayEventChannel.WriteReadingAsync"/> and every
/// other event through <see cref="GatewayEventChannel.WriteAsync"/>. When the producers take the channel's own writer
/// contract, this file is the only one to change.
/// </summary>
public static class ProducerChannels
{
    /// <summary>
    /// For pollers, on-board or simulated, whose next read supersedes this one: a reading that finds no free reading
    /// slot is refused and counted (<c>floxide.readings.dropped</c>); faults and status changes wait for room.
    /// </summary>
    /// <param name="channel">The workflow's queue.</param>
    /// <param name="written">Told the sensor id of every event a poller produced, kept or refused: the pollers' heartbeat.</param>
    /// <returns>The writer to hand to the pollers.</returns>
    public static ChannelWriter<GatewayEvent> ForPollers(GatewayEventChannel channel, Action<string>? written = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ProducerWriter(channel, waitForReadingSlot: false, written);
    }

    /// <summary>
    /// For streams that must not lose a reading (the MQTT ingest, whose wait pushes back on the broker, and the
    /// simulated fleet standing in for one): a reading waits for a free reading slot.
    /// </summary>
    /// <param name="channel">The workflow's queue.</param>
    /// <returns>The writer to hand to the producer.</returns>
    public static ChannelWriter<GatewayEvent> ForStreams(GatewayEventChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ProducerWriter(channel, waitForReadingSlot: true, written: null);
    }

    private sealed class ProducerWriter(GatewayEventChannel channel, bool waitForReadingSlot, Action<string>? written) : ChannelWriter<GatewayEvent>
    {
        public override bool TryComplete(Exception? error = null) => false; // the workflow owns the queue's lifetime

        public override bool TryWrite(GatewayEvent item)
        {
            ArgumentNullException.ThrowIfNull(item);
            if (item is not SensorReading reading)
            {
                Written(item);
                return channel.Source.TryWrite(item);
            }

            if (waitForReadingSlot)
            {
                // A stream's caller falls back to WriteAsync, which waits for a slot without counting a drop.
                return false;
            }

            // Taken or refused (and counted), the reading is dealt with: the poller's next read supersedes it.
            Written(item);
            channel.TryWriteReading(reading);
            return true;
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
            channel.Source.Writer.WaitToWriteAsync(cancellationToken);

        public override ValueTask WriteAsync(GatewayEvent item, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(item);
            if (item is SensorReading reading && !waitForReadingSlot)
            {
                Written(item);
                channel.TryWriteReading(reading);
                return ValueTask.CompletedTask;
            }

            Written(item);
            return channel.WriteAsync(item, cancellationToken);
        }

        private void Written(GatewayEvent item)
        {
            if (written is null)
            {
                return;
            }

            switch (item)
            {
                case SensorReading reading:
                    written(reading.SensorId);
                    break;
                case SensorFault fault:
                    written(fault.SensorId);
                    break;
                case SensorStatusChanged change:
                    written(change.SensorId);
                    break;
            }
        }
    }
}
