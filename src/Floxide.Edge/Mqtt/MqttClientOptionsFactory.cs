using System.Security.Cryptography.X509Certificates;
using Floxide.Edge.Mqtt.Transport;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// Builds MQTTnet client options from <see cref="MqttOptions"/> for one protocol version: a persistent session, the
/// Last Will on the availability topic, credentials and TLS. The 3.1.1 options carry no MQTT 5-only setting, which
/// MQTTnet would refuse.
/// </summary>
internal sealed class MqttClientOptionsFactory(MqttOptions options, MqttTopics topics)
{
    private readonly MqttPasswordSource credentials = new(options);

    public MqttClientOptions Create(MqttProtocolVersion protocol)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            // Reads ahead and coalesces writes (see CoalescingSocketStream): a PUBLISH's header and payload, written
            // separately, still leave in one send, so MQTTnet need not join them into a new array first.
            .WithStreamProvider(CoalescingSocketStreamProvider.Instance)
            .WithProtocolVersion(protocol)
            .WithClientId(options.EffectiveClientId)
            .WithCleanStart(false)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.Timeout)
            .WithWillTopic(topics.Availability)
            .WithWillPayload(MqttTopics.Offline)
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (protocol == MqttProtocolVersion.V500)
        {
            // MQTT 5 ends the session with the connection unless the expiry is non-zero.
            builder.WithSessionExpiryInterval((uint)Math.Min(options.SessionExpiry.TotalSeconds, uint.MaxValue));
            if (options.Ingest.ReceiveMaximum > 0)
            {
                builder.WithReceiveMaximum((ushort)options.Ingest.ReceiveMaximum);
            }
        }

        if (options.Username is not null)
        {
            builder.WithCredentials(credentials);
        }

        if (options.Tls.Enabled)
        {
            builder.WithTlsOptions(ConfigureTls);
        }

        return builder.Build();
    }

    private void ConfigureTls(MqttClientTlsOptionsBuilder tls)
    {
        var settings = options.Tls;
        tls.UseTls(true)
            .WithTargetHost(settings.TargetHost ?? options.Host)
            // Gateways are often offline: an online revocation check would stall or fail every connect.
            .WithRevocationMode(X509RevocationMode.NoCheck);
        if (!string.IsNullOrEmpty(settings.CaFile))
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(settings.CaFile);
            tls.WithTrustChain(authorities);
        }

        if (!string.IsNullOrEmpty(settings.ClientCertificateFile))
        {
            var certificate = X509Certificate2.CreateFromPemFile(settings.ClientCertificateFile, settings.ClientKeyFile);
            tls.WithClientCertificates([certificate]);
        }
    }
}
