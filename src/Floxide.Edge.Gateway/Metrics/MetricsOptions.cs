using System.ComponentModel.DataAnnotations;

namespace Floxide.Edge.Gateway.Metrics;

/// <summary>The Prometheus endpoint (<c>/metrics</c>) and health endpoint (<c>/healthz</c>): section <c>Floxide:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Floxide:Metrics";

    /// <summary>Serve the endpoints.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>The address to listen on.</summary>
    /// <value>An IP address; the default is 127.0.0.1, so only the Pi itself (or an SSH tunnel) can scrape.</value>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The TCP port.</summary>
    /// <value>1 to 65535; the default is 9464, the port OpenTelemetry's Prometheus exporter uses.</value>
    [Range(1, 65535)]
    public int Port { get; set; } = 9464;

    /// <summary>The meters exported; empty means the gateway's, the engine's and the runtime's.</summary>
    /// <value>Meter names, e.g. <c>Floxide.Edge</c>.</value>
    public IList<string> Meters { get; } = [];

    /// <summary>The default of <see cref="MaxSeriesPerInstrument"/>.</summary>
    public const int DefaultMaxSeriesPerInstrument = 2000;

    /// <summary>
    /// The most time series (distinct tag sets, e.g. one per sensor id) kept per metric; measurements that would open
    /// more are dropped and counted in <c>floxide_metrics_series_dropped_total</c>.
    /// </summary>
    /// <value>10 to 1 000 000; the default is 2000. Raise it for fleets of more sensors.</value>
    [Range(10, 1_000_000)]
    public int MaxSeriesPerInstrument { get; set; } = DefaultMaxSeriesPerInstrument;

    /// <summary>The meters exported when <see cref="Meters"/> is empty.</summary>
    public static IReadOnlyList<string> DefaultMeters { get; } = ["Floxide.Edge", "Floxide.Events", "System.Runtime"];
}
