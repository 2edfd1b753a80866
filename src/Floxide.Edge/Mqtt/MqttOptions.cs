using System.ComponentModel.DataAnnotations;
using Floxide.Edge.OptionRules;

namespace Floxide.Edge.Mqtt;

/// <summary>Which MQTT protocol version the gateway speaks.</summary>
public enum MqttProtocol
{
    /// <summary>MQTT 5, falling back to 3.1.1 when the broker rejects version 5.</summary>
    Auto,

    /// <summary>MQTT 5 only.</summary>
    V500,

    /// <summary>MQTT 3.1.1 only.</summary>
    V311,
}

/// <summary>
/// The gateway's MQTT settings, bound from <c>Floxide:Mqtt</c>: the broker and how to reach it, the gateway's
/// identity and topics, and the ingest, publish and Home Assistant settings.
/// </summary>
public sealed class MqttOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Floxide:Mqtt";

    /// <summary>The broker's host name or address.</summary>
    /// <value>The default is <c>127.0.0.1</c>.</value>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The broker's TCP port.</summary>
    /// <value>1 to 65 535. The default is 1883; brokers usually listen for TLS on 8883.</value>
    [Range(1, 65_535)]
    public int Port { get; set; } = 1883;

    /// <summary>The protocol version.</summary>
    /// <value>The default is <see cref="MqttProtocol.Auto"/>: MQTT 5 with fallback to 3.1.1.</value>
    public MqttProtocol Protocol { get; set; } = MqttProtocol.Auto;

    /// <summary>The gateway's id: one topic level in every topic it publishes.</summary>
    /// <value>Letters, digits, <c>-</c> and <c>_</c>. The default is <c>gateway</c>.</value>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Floxide:Mqtt:GatewayId must be 1 to 64 letters, digits, '-' or '_'.")]
    public string GatewayId { get; set; } = "gateway";

    /// <summary>The MQTT client id; the broker keeps the persistent session under it.</summary>
    /// <value>The default, <see langword="null"/>, means <c>floxide-&lt;GatewayId&gt;</c>.</value>
    [StringLength(128)]
    public string? ClientId { get; set; }

    /// <summary>The first topic level of everything the gateway publishes.</summary>
    /// <value>The default is <c>floxide</c>. No wildcards, no leading or trailing <c>/</c>.</value>
    [Required]
    public string TopicPrefix { get; set; } = "floxide";

    /// <summary>How long the broker keeps the session (subscriptions and queued QoS 1 messages) after a disconnect.</summary>
    /// <value>1 second to 49 days. The default is 1 day. MQTT 5 needs a non-zero value for a persistent session.</value>
    [DurationRange("00:00:01", "49.00:00:00")]
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The keep-alive period; a dead connection is noticed after about 1.5 times this.</summary>
    /// <value>1 second to 18 hours. The default is 15 seconds.</value>
    [DurationRange("00:00:01", "18:00:00")]
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a connect or subscribe may take before it counts as failed.</summary>
    /// <value>1 second to 5 minutes. The default is 10 seconds.</value>
    [DurationRange("00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The user name, or <see langword="null"/> for an anonymous connection.</summary>
    public string? Username { get; set; }

    /// <summary>A file holding the password (a trailing newline is ignored). Never logged.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>
    /// The name of a systemd credential holding the password (<c>LoadCredential=</c>), read from
    /// <c>$CREDENTIALS_DIRECTORY/&lt;name&gt;</c>. Never logged.
    /// </summary>
    public string? PasswordCredential { get; set; }

    /// <summary>TLS settings.</summary>
    public MqttTlsOptions Tls { get; set; } = new();

    /// <summary>Reconnect back-off settings.</summary>
    public MqttReconnectOptions Reconnect { get; set; } = new();

    /// <summary>Fleet ingest settings: subscriptions, payload fields, limits.</summary>
    public MqttIngestOptions Ingest { get; set; } = new();

    /// <summary>Publishing settings: in-flight window and backlog drain rate.</summary>
    public MqttPublishOptions Publish { get; set; } = new();

    /// <summary>Home Assistant MQTT discovery settings.</summary>
    public HomeAssistantOptions HomeAssistant { get; set; } = new();

    /// <summary>The client id in effect: <see cref="ClientId"/> or <c>floxide-&lt;GatewayId&gt;</c>.</summary>
    public string EffectiveClientId => string.IsNullOrWhiteSpace(ClientId) ? $"floxide-{GatewayId}" : ClientId;
}

/// <summary>TLS settings of the broker connection, under <c>Floxide:Mqtt:Tls</c>.</summary>
public sealed class MqttTlsOptions
{
    /// <summary>Whether to connect with TLS.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>
    /// A PEM file with the CA certificate(s) that sign the broker's certificate; only these are trusted. Null trusts
    /// the system's roots.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>A PEM client certificate, for brokers that require one; needs <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>The PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>The host name the broker's certificate must name; null means <see cref="MqttOptions.Host"/>.</summary>
    public string? TargetHost { get; set; }
}

/// <summary>Reconnect back-off settings, under <c>Floxide:Mqtt:Reconnect</c>.</summary>
public sealed class MqttReconnectOptions
{
    /// <summary>The first delay after a failed attempt; each further failure doubles it, with jitter.</summary>
    /// <value>1 millisecond to 1 minute. The default is 1 second.</value>
    [DurationRange("00:00:00.001", "00:01:00")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between attempts.</summary>
    /// <value>1 millisecond to 1 hour. The default is 30 seconds.</value>
    [DurationRange("00:00:00.001", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The delay after the broker refused the connection (bad credentials, not authorized, banned): retrying
    /// sooner cannot help and only fills the broker's log.
    /// </summary>
    /// <value>1 millisecond to 1 day. The default is 2 minutes.</value>
    [DurationRange("00:00:00.001", "1.00:00:00")]
    public TimeSpan RefusedDelay { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Publishing settings, under <c>Floxide:Mqtt:Publish</c>.</summary>
public sealed class MqttPublishOptions
{
    /// <summary>QoS 1 messages awaiting their PUBACK at once.</summary>
    /// <value>1 to 65 535. The default is 64; the broker's receive maximum lowers it.</value>
    [Range(1, 65_535)]
    public int MaxInFlight { get; set; } = 64;

    /// <summary>Messages queued in memory between the workflow and the publisher; a full queue makes the workflow wait.</summary>
    /// <value>16 to 1 000 000. The default is 4096.</value>
    [Range(16, 1_000_000)]
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>How long a QoS 1 publish may wait for its PUBACK before it is stored in the outbox and sent again.</summary>
    /// <value>1 second to 10 minutes. The default is 30 seconds.</value>
    [DurationRange("00:00:01", "00:10:00")]
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most outbox messages sent per second after a reconnect, so a long outage does not flood the broker.</summary>
    /// <value>1 to 1 000 000. The default is 200.</value>
    [Range(1, 1_000_000)]
    public int DrainRatePerSecond { get; set; } = 200;
}

/// <summary>Home Assistant MQTT discovery settings, under <c>Floxide:Mqtt:HomeAssistant</c>.</summary>
public sealed class HomeAssistantOptions
{
    /// <summary>Whether to announce sensors to Home Assistant.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Home Assistant's discovery prefix.</summary>
    /// <value>The default is <c>homeassistant</c>.</value>
    [Required]
    public string DiscoveryPrefix { get; set; } = "homeassistant";

    /// <summary>The topic on which Home Assistant announces itself (<c>online</c>) after it starts.</summary>
    /// <value>The default is <c>homeassistant/status</c>.</value>
    [Required]
    public string StatusTopic { get; set; } = "homeassistant/status";

    /// <summary>
    /// How many of a sensor's reporting intervals may pass without a reading before Home Assistant shows its value as
    /// unavailable (<c>expire_after</c>).
    /// </summary>
    /// <value>1 to 100. The default is 3.</value>
    [Range(1, 100)]
    public int ExpireAfterIntervals { get; set; } = 3;
}
