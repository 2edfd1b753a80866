using System.Net;
using System.Text;
using Floxide.Edge.Gateway.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Metrics;

/// <summary>
/// Serves <c>/metrics</c> (Prometheus text) and <c>/healthz</c> (200 healthy, 503 with the problems) on
/// <see cref="MetricsOptions.BindAddress"/>:<see cref="MetricsOptions.Port"/>, with <see cref="HttpListener"/>: no web
/// framework in the process. A taken port is logged and the gateway runs on without the endpoint; a reloaded port or
/// address moves the endpoint.
/// </summary>
public sealed partial class MetricsEndpoint : IHostedService, IDisposable
{
    private readonly IOptionsMonitor<MetricsOptions> options;
    private readonly GatewayHealth health;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private IDisposable? reloadSubscription;
    private PrometheusExporter? exporter;
    private HttpListener? listener;
    private Task loop = Task.CompletedTask;
    private MetricsOptions? running;

    /// <summary>Creates the endpoint; it listens once started.</summary>
    /// <param name="options">Address, port, meters and the off switch.</param>
    /// <param name="health">Answers <c>/healthz</c>.</param>
    /// <param name="logger">Logs where it listens, or why it cannot.</param>
    public MetricsEndpoint(IOptionsMonitor<MetricsOptions> options, GatewayHealth health, ILogger<MetricsEndpoint> logger)
    {
        this.options = options;
        this.health = health;
        this.logger = logger;
    }

    /// <summary>The endpoint's base address while it listens, e.g. <c>http://127.0.0.1:9464/</c>.</summary>
    public string? Address { get; private set; }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Apply(options.CurrentValue);
        reloadSubscription = options.OnChange(Apply);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        reloadSubscription?.Dispose();
        Task stopped;
        lock (gate)
        {
            stopped = StopListening();
            exporter?.Dispose();
            exporter = null;
        }

        await stopped.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        reloadSubscription?.Dispose();
        listener?.Close();
        exporter?.Dispose();
    }

    private void Apply(MetricsOptions next)
    {
        lock (gate)
        {
            if (running is not null && running.Enabled == next.Enabled && running.Port == next.Port
                && string.Equals(running.BindAddress, next.BindAddress, StringComparison.Ordinal)
                && running.Meters.SequenceEqual(next.Meters, StringComparer.Ordinal))
            {
                return;
            }

            _ = StopListening();
            exporter?.Dispose();
            exporter = null;
            running = next;
            if (!next.Enabled)
            {
                LogDisabled(logger);
                return;
            }

            IReadOnlyList<string> meters = next.Meters.Count > 0 ? [.. next.Meters] : MetricsOptions.DefaultMeters;
            exporter = new PrometheusExporter(meters, next.MaxSeriesPerInstrument);
            var prefix = $"http://{FormatHost(next.BindAddress)}:{next.Port}/";
            var candidate = new HttpListener { IgnoreWriteExceptions = true };
            candidate.Prefixes.Add(prefix);
            try
            {
                candidate.Start();
            }
            catch (HttpListenerException exception)
            {
                candidate.Close();
                LogUnavailable(logger, prefix, exception.Message, exception);
                return;
            }

            listener = candidate;
            Address = prefix;
            loop = ServeAsync(candidate, exporter);
            var meterList = string.Join(", ", meters);
            LogListening(logger, prefix, meterList);
        }
    }

    private Task StopListening()
    {
        var stopping = listener;
        listener = null;
        Address = null;
        stopping?.Close();
        return loop;
    }

    private async Task ServeAsync(HttpListener http, PrometheusExporter metrics)
    {
        while (http.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await http.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await RespondAsync(context, metrics).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException)
            {
                LogResponseFailed(logger, exception.Message);
            }
        }
    }

    private async Task RespondAsync(HttpListenerContext context, PrometheusExporter metrics)
    {
        var response = context.Response;
        using (response)
        {
            var method = context.Request.HttpMethod;
            if (method is not ("GET" or "HEAD"))
            {
                response.StatusCode = 405;
                response.AddHeader("Allow", "GET, HEAD");
                return;
            }

            string body;
            switch (context.Request.Url?.AbsolutePath)
            {
                case "/metrics":
                    response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    body = metrics.Scrape();
                    break;
                case "/healthz":
                    var report = health.Latest;
                    response.StatusCode = report.IsHealthy ? 200 : 503;
                    response.ContentType = "text/plain; charset=utf-8";
                    body = report + "\n";
                    break;
                case "/":
                    response.ContentType = "text/plain; charset=utf-8";
                    body = "floxide-edge: /metrics (Prometheus text), /healthz (200 healthy, 503 unhealthy)\n";
                    break;
                default:
                    response.StatusCode = 404;
                    response.ContentType = "text/plain; charset=utf-8";
                    body = "not found: try /metrics or /healthz\n";
                    break;
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            response.ContentLength64 = bytes.Length;
            if (method == "GET")
            {
                await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            }
        }
    }

    private static string FormatHost(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics at {Prefix}metrics and health at {Prefix}healthz (meters: {Meters})")]
    private static partial void LogListening(ILogger logger, string prefix, string meters);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics endpoint is off (Floxide:Metrics:Enabled = false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Metrics endpoint {Prefix} unavailable ({Reason}); the gateway runs on without it. Fix: set Floxide:Metrics:Port to a free port, or Floxide:Metrics:Enabled to false")]
    private static partial void LogUnavailable(ILogger logger, string prefix, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metrics response failed: {Reason}")]
    private static partial void LogResponseFailed(ILogger logger, string reason);
}
