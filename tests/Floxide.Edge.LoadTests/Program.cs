using System.Diagnostics;
using System.Globalization;
using Floxide.Edge.LoadTests;

// Usage: dotnet run -c Release --project tests/Floxide.Edge.LoadTests -- [--readings 50000] [--sensors 1000] [--rate 0] [--mode both|relay|gateway] [--seed 42]
//   --rate 0 publishes as fast as the QoS 1 window allows (throughput); --rate 5000 paces the fleet (latency).
// Starts its own mosquitto on a free loopback port. Phase 1, the baseline: the broker alone relays fleet/+/reading
// from the publisher to a subscriber. Phase 2, the gateway path: the same readings go publisher -> mosquitto ->
// gateway process (Floxide.Edge.MqttTestHost: MQTT ingest -> reading sink -> publisher, QoS 1, acknowledged after
// the PUBACK) -> mosquitto -> subscriber on floxide/load/+/state.
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
    var self = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
    var host = Path.GetFullPath(Path.Combine(self.FullName, "..", "..", "..", "..", "Floxide.Edge.MqttTestHost", "bin", self.Parent!.Name, self.Name, "Floxide.Edge.MqttTestHost.dll"));
    var outbox = Path.Combine(Directory.CreateTempSubdirectory("floxide-load-outbox-").FullName, "outbox.db");
    var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var process = new Process
    {
        StartInfo = new ProcessStartInfo("dotnet", [host, "--port", port.ToString(CultureInfo.InvariantCulture), "--outbox", outbox, "--gateway", "load"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        },
    };
    process.OutputDataReceived += (_, line) =>
    {
        if (line.Data == "ready")
        {
            ready.TrySetResult();
        }
    };
    var log = new StreamWriter(Path.Combine(Path.GetDirectoryName(outbox)!, "gateway.log")) { AutoFlush = true };
    Console.WriteLine($"gateway log: {Path.Combine(Path.GetDirectoryName(outbox)!, "gateway.log")}");
    process.ErrorDataReceived += (_, line) =>
    {
        if (line.Data is not null)
        {
            lock (log)
            {
                log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line.Data}");
            }
        }
    };
    process.Start();
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
    return process;
}
