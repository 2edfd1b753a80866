using System.Buffers;
using Floxide.Edge.Readings;
using MQTTnet;
using MQTTnet.Protocol;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// A message received on one of the connection's subscriptions, with its deferred acknowledgement. The
/// acknowledgement (PUBACK) is sent only while the connection it arrived on is still the current one: after a
/// reconnect the broker redelivers the message, and a PUBACK with the old packet id would acknowledge the wrong one.
/// As an <see cref="IReadingReceipt"/>, completing it acknowledges the message.
/// </summary>
public sealed class MqttIncomingMessage : IReadingReceipt
{
    private readonly MqttApplicationMessageReceivedEventArgs args;
    private readonly MqttConnection connection;
    private int acknowledged;

    internal MqttIncomingMessage(MqttApplicationMessageReceivedEventArgs args, MqttConnection connection, long generation)
    {
        this.args = args;
        this.connection = connection;
        Generation = generation;
    }

    /// <summary>The topic it arrived on.</summary>
    public string Topic => args.ApplicationMessage.Topic;

    /// <summary>The payload; the buffer belongs to this message and may be kept.</summary>
    public ReadOnlySequence<byte> Payload => args.ApplicationMessage.Payload;

    /// <summary>The QoS it was delivered with.</summary>
    public MqttQualityOfServiceLevel QualityOfService => args.ApplicationMessage.QualityOfServiceLevel;

    /// <summary>Whether the broker flagged it as a redelivery.</summary>
    public bool IsRedelivery => args.ApplicationMessage.Dup;

    /// <summary>Whether it was a retained message.</summary>
    public bool IsRetained => args.ApplicationMessage.Retain;

    /// <summary>The connection generation it arrived on.</summary>
    internal long Generation { get; }

    /// <summary>Whether <see cref="Acknowledge"/> has been called.</summary>
    public bool IsAcknowledged => Volatile.Read(ref acknowledged) != 0;

    /// <summary>
    /// Acknowledges the message to the broker, once: sends the PUBACK in the background if the connection it came on
    /// is still up, and otherwise drops the acknowledgement (the broker redelivers). Thread-safe; never throws.
    /// </summary>
    public void Acknowledge()
    {
        if (Interlocked.Exchange(ref acknowledged, 1) == 0 && QualityOfService != MqttQualityOfServiceLevel.AtMostOnce)
        {
            connection.SendAcknowledgement(args, Generation);
        }
    }

    /// <inheritdoc/>
    void IReadingReceipt.Complete() => Acknowledge();
}
