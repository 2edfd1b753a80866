using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace Floxide.Edge.Mqtt.Transport;

/// <summary>
/// Connects the MQTT client through a <see cref="CoalescingSocketStream"/>; MQTTnet layers TLS on top of it when TLS
/// is configured, so reads and writes are coalesced below the encryption as well.
/// </summary>
internal sealed class CoalescingSocketStreamProvider : IMqttClientStreamProvider
{
    public static CoalescingSocketStreamProvider Instance { get; } = new();

    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(brokerEndPoint);
        // Dual mode where the machine has IPv6, so a host name reaches the broker over either family.
        var socket = brokerEndPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
            return new CoalescingSocketStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
