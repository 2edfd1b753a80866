using System.Diagnostics;
using System.Globalization;
using Floxide.Edge.LoadTests;

// Usage: dotnet run -c Release --project tests/Floxide.Edge.LoadTests -- [--readings 50000] [--sensors 1000] [--rate 0] [--mode both|relay|gateway] [--seed 42]
//   --rate 0 publishes as fast as the QoS 1 window allows (throughput); --rate 5000 paces the fleet (latency).
// Starts its own mosquitto on a free loopback port. Phase 1, the baseline: the broker alone relays fleet/+/reading
// from the publisher to a subscriber. Phase 2, the gateway path: the same readings go publisher -> mosquitto ->
// floxide-edge (the real gateway process: MQTT ingest -> workflow -> publisher, QoS 1, acknowledged after the PUBACK)
// -> mosquitto -> subscriber on floxide/load/+/state. Payloads come from the gateway's SyntheticFleet.
var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    arguments[args[i].TrimStart('-')] = args[i + 1];
}

int Argument(string name, int fallback) => arguments.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
var readings = Argument("readings", 50_000);
var sensors = Argument("sensors", 1000);
var rate = Argument("rate", 0);
var seed = Argument("seed", 42);
var mode = arguments.GetValueOrDefault("mode", "both");

await using var broker = await Mosquitto.StartAsync();
Console.WriteLine($"mosquitto on 127.0.0.1:{broker.Port}; {readings} readings from {sensors} sensors at {(rate == 0 ? "full speed" : $"{rate}/s")}, QoS 1");
var results = new List<LoadResult>();
if (mode is "both" or "relay")
{
    results.Add(await new LoadRun(broker.Port, new FleetGenerator(sensors, seed), readings, rate).RunAsync("relay", "fleet/+/reading", 1, broker.Process, null));
}

if (mode is "both" or "gateway")
{
    using var gateway = await StartGatewayAsync(broker.Port);
    results.Add(await new LoadRun(broker.Port, new FleetGenerator(sensors, seed), readings, rate).RunAsync("gateway", "floxide/load/+/state", 2, broker.Process, gateway));
    gateway.Kill();
    await gateway.WaitForExitAsync();
}

Console.WriteLine();
Console.WriteLine("| path | readings | delivered | duplicates | throughput (/s) | p50 (ms) | p99 (ms) | gateway CPU (µs/reading) | gateway peak RSS (MB) | broker CPU (µs/reading) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine(FormattableString.Invariant(
        $"| {r.Name} | {r.Readings} | {r.Delivered} | {r.Duplicates} | {r.Throughput:F0} | {r.P50Milliseconds:F2} | {r.P99Milliseconds:F2} | {(r.GatewayCpuMicrosecondsPerReading is { } cpu ? cpu.ToString("F1", CultureInfo.InvariantCulture) : "-")} | {(r.GatewayPeakRssMegabytes is { } rss ? rss.ToString("F1", CultureInfo.InvariantCulture) : "-")} | {r.BrokerCpuMicrosecondsPerReading:F1} |"));
}

if (results.Count == 2)
{
    Console.WriteLine(FormattableString.Invariant($"gateway / relay throughput: {results[1].Throughput / results[0].Throughput:P1}; p99 difference: {results[1].P99Milliseconds - results[0].P99Milliseconds:F2} ms"));
}

var complete = results.All(r => r.Delivered == r.Readings);
Console.WriteLine(complete ? "every input produced an output" : "MISSING OUTPUTS: see the delivered column");
return complete ? 0 : 1;

static async Task<Process> StartGatewayAsync(int port)
{
    // tests/Floxide.Edge.LoadTests/bin/<configuration>/<tfm>/ -> src/Floxide.Edge.Gateway/bin/<configuration>/<tfm>/floxide-edge
    var self = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
    var gateway = Path.GetFullPath(Path.Combine(self.FullName, "..", "..", "..", "..", "..", "src", "Floxide.Edge.Gateway", "bin", self.Parent!.Name, self.Name, "floxide-edge"));
    var work = Directory.CreateTempSubdirectory("floxide-load-gateway-").FullName;
    var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var start = new ProcessStartInfo(gateway, ["run", "--plain", "--config", Path.Combine(work, "gateway.json")])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };
    File.WriteAllText(Path.Combine(work, "gateway.json"), "{}");
    foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("FLOXIDE_", StringComparison.Ordinal) || key is "NOTIFY_SOCKET" or "WATCHDOG_USEC").ToList())
    {
        start.Environment.Remove(name);
    }

    // The fleet arrives over MQTT only: no simulated sensors, no embedded broker, no Home Assistant announcements.
    start.Environment["FLOXIDE_MQTT__HOST"] = "127.0.0.1";
    start.Environment["FLOXIDE_MQTT__PORT"] = port.ToString(CultureInfo.InvariantCulture);
    start.Environment["FLOXIDE_MQTT__GATEWAYID"] = "load";
    start.Environment["FLOXIDE_MQTT__HOMEASSISTANT__ENABLED"] = "false";
    start.Environment["FLOXIDE_SIMULATION__ENABLED"] = "false";
    start.Environment["FLOXIDE_METRICS__ENABLED"] = "false";
    start.Environment["FLOXIDE_HOST__STATEDIRECTORY"] = Path.Combine(work, "state");
    start.Environment["DOTNET_gcServer"] = "0";
    var process = new Process { StartInfo = start };
    var log = new StreamWriter(Path.Combine(work, "gateway.log")) { AutoFlush = true };
    Console.WriteLine($"gateway: {gateway}; log: {Path.Combine(work, "gateway.log")}");
    void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains("MQTT: connected to", StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    process.OutputDataReceived += (_, line) => Log(line.Data);
    process.ErrorDataReceived += (_, line) => Log(line.Data);
    process.Start();
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
    return process;
}
