namespace Floxide.Edge.Gateway.Hosting;

/// <summary>The host's own settings: section <c>Floxide:Host</c>.</summary>
public sealed class GatewayHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Floxide:Host";

    /// <summary>How long a graceful stop may take: stop input, finish in-flight events, flush.</summary>
    /// <value>1 s to 5 min; the default is 20 s. Keep it below the unit's <c>TimeoutStopSec=</c> (30 s).</value>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one event may stay at a node before the workflow loop counts as hung and the watchdog stops.</summary>
    /// <value>100 ms to 1 h; the default is 10 s.</value>
    public TimeSpan ProcessingBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often health is checked and <c>STATUS=</c> refreshed.</summary>
    /// <value>100 ms to 1 min; the default is 1 s.</value>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Where the gateway keeps its state files: the active alerts (<c>Floxide:Alerts:StateFile</c>) and the outbox
    /// (<c>Floxide:Outbox:Path</c>), when those are relative paths. Created when missing.
    /// </summary>
    /// <value>
    /// A directory, or <see langword="null"/> (the default) for systemd's <c>$STATE_DIRECTORY</c> (the unit's
    /// <c>StateDirectory=</c>, /var/lib/floxide-edge), else <c>$XDG_STATE_HOME/floxide-edge</c>, else
    /// <c>~/.local/state/floxide-edge</c>.
    /// </value>
    public string? StateDirectory { get; set; }
}

/// <summary>Fault injection for tests and drills: section <c>Floxide:Debug</c>. Leave unset in production.</summary>
public sealed class DebugOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Floxide:Debug";

    /// <summary>The id of a workflow node that should hang (never finish an event), to drill the watchdog.</summary>
    /// <value>
    /// <c>publish</c> (the node that hands readings to MQTT: it hangs as a publish to a broker that never answers
    /// would), or <see langword="null"/> (the default) for none.
    /// </value>
    public string? HangNode { get; set; }

    /// <summary>How many events <see cref="HangNode"/> processes normally before it hangs.</summary>
    /// <value>0 or more; the default is 0.</value>
    public int HangAfterEvents { get; set; }
}
