using System.ComponentModel.DataAnnotations;

namespace Floxide.Edge.Gateway.Broker;

/// <summary>The embedded MQTT broker that lets the gateway run with no configuration: section <c>Floxide:EmbeddedBroker</c>.</summary>
public sealed class EmbeddedBrokerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Floxide:EmbeddedBroker";

    /// <summary>Run the embedded broker.</summary>
    /// <value>
    /// <see langword="true"/>, <see langword="false"/>, or <see langword="null"/> (the default) for "when no external
    /// broker is configured", i.e. when <c>Floxide:Mqtt:Host</c> is not set.
    /// </value>
    public bool? Enabled { get; set; }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    /// <value>0 (any free port) to 65535; the default is 1883.</value>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Use any free port when <see cref="Port"/> is taken (by a local mosquitto, say), instead of failing.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool FallbackToFreePort { get; set; } = true;

    /// <summary>Messages queued per slow subscriber before the oldest are dropped.</summary>
    /// <value>1 to 100 000; the default is 1000.</value>
    [Range(1, 100_000)]
    public int MaxPendingMessagesPerClient { get; set; } = 1000;
}
