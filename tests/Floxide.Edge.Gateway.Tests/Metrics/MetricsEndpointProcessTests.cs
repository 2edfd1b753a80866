using System.Net;
using System.Net.Sockets;
using Floxide.Edge.Gateway.Tests.Support;

namespace Floxide.Edge.Gateway.Tests.Metrics;

public sealed class MetricsEndpointProcessTests
{
    [Fact]
    public async Task Run_MetricsEnabled_ServesEngineAndGatewayMetricsAndHealth()
    {
        var port = FreePort();
        using var socket = NotifySocketListener.AtPath();
        using var config = new TempConfig("{}");
        using var gateway = GatewayProcess.Start(["--config", config.Path], new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = socket.Address,
            ["FLOXIDE_METRICS__ENABLED"] = "true",
            ["FLOXIDE_METRICS__PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await socket.WaitForAsync(message => message.Has("READY=1"), TimeSpan.FromSeconds(30));
        await socket.WaitForAsync(message => Systemd.GatewayProcessSystemdTests.OnlineOf(message.Status, "12 sensors") >= 8, TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };

        // Sensors online says nothing about the MQTT client: its first acknowledged publish may come later on a busy
        // machine, so scrape until the counter shows one (bounded), as Prometheus would keep scraping.
        var published = new System.Text.RegularExpressions.Regex(@"floxide_mqtt_published_total\{[^}]*\} [1-9]\d*");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpResponseMessage metrics;
        string text;
        while (true)
        {
            metrics = await http.GetAsync(new Uri("metrics", UriKind.Relative));
            text = await metrics.Content.ReadAsStringAsync();
            if (published.IsMatch(text) || DateTime.UtcNow > deadline)
            {
                break;
            }

            metrics.Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        using var lastScrape = metrics;
        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        using var missing = await http.GetAsync(new Uri("nothing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", metrics.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"floxide_events_processed_total\{[^}]*workflow_name=""gateway""[^}]*\} [1-9]\d*", text);
        Assert.Contains("floxide_gateway_healthy 1\n", text, StringComparison.Ordinal);
        Assert.Matches(@"floxide_sensors\{state=""online""\} ([89]|1[0-2])\n", text);
        Assert.Matches(@"floxide_mqtt_published_total\{[^}]*\} [1-9]\d*", text);
        Assert.Contains("# TYPE dotnet_process_memory_working_set_bytes gauge", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("healthy\n", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        gateway.Signal(GatewayProcess.SigTerm);
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
