using System.Globalization;
using Floxide.Edge.LoadTests;

// Usage: dotnet tests/Floxide.Edge.LoadTests/bin/Release/net10.0/Floxide.Edge.LoadTests.dll
//          [--readings 20000] [--sensors 1000] [--rate 0] [--runs 3] [--warmup 5000] [--mode both|relay|gateway] [--seed 42]
//          [--gateway-env NAME=VALUE]... [--gateway PATH] [--floor coalescing|mqttnet|hosted]
//   --rate 0 publishes as fast as the QoS 1 window allows (throughput); --rate 5000 paces the fleet (latency).
//   --runs N alternates relay and gateway phases N times in one run and reports each and the medians.
//   --gateway-env sets an environment variable of the gateway process (e.g. DOTNET_TieredPGO=0), to try runtime settings.
//   --gateway runs that gateway executable (e.g. deploy/out/linux-x64-aot/floxide-edge) instead of the one built here.
//   --floor adds a third phase to each run: RelayFloor, an MQTTnet client alone doing the gateway's MQTT work (QoS 1 in,
//     QoS 1 out, acknowledged after the PUBACK), with the gateway's transport (coalescing) or MQTTnet's own (mqttnet), or
//     with the gateway's transport inside an otherwise idle .NET Generic Host (hosted).
// Starts its own mosquitto on a free loopback port. The baseline: the broker alone relays relay/+/reading from the
// publisher to a subscriber. The gateway path: the same readings go publisher -> mosquitto -> floxide-edge (the real
// gateway process, configured by a file this tool writes: MQTT ingest -> workflow -> publisher, QoS 1, acknowledged
// after the PUBACK) -> mosquitto -> subscriber on floxide/load/+/state. The fleet is the gateway's SyntheticFleet.
if (args is [RelayFloor.Command, var floorPort, var transport])
{
    return await RelayFloor.RunAsync(int.Parse(floorPort, CultureInfo.InvariantCulture), transport is "coalescing" or "hosted", hosted: transport == "hosted");
}

var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
var gatewayEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    var name = args[i].TrimStart('-');
    if (name == "gateway-env")
    {
        var split = args[i + 1].IndexOf('=', StringComparison.Ordinal);
        gatewayEnvironment[args[i + 1][..split]] = args[i + 1][(split + 1)..];
    }
    else
    {
        arguments[name] = args[i + 1];
    }
}

int Argument(string name, int fallback) => arguments.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
var readings = Argument("readings", 20_000);
var sensors = Argument("sensors", 1000);
var rate = Argument("rate", 0);
var seed = Argument("seed", 42);
var runs = Argument("runs", 3);
var warmup = Argument("warmup", 5000);
var mode = arguments.GetValueOrDefault("mode", "both");
var relay = mode is "both" or "relay";
var throughGateway = mode is "both" or "gateway";
var floorTransport = arguments.GetValueOrDefault("floor");
if (floorTransport is not (null or "coalescing" or "mqttnet" or "hosted"))
{
    Console.Error.WriteLine($"--floor {floorTransport}: expected coalescing, mqttnet or hosted");
    return 64;
}

await using var broker = await Mosquitto.StartAsync();
Console.WriteLine($"mosquitto on 127.0.0.1:{broker.Port}; {runs} run(s) of {readings} readings from {sensors} sensors at {(rate == 0 ? "full speed" : $"{rate}/s")}, QoS 1");
await using var gateway = throughGateway ? await MeasuredProcess.StartAsync(broker.Port, gatewayEnvironment, arguments.GetValueOrDefault("gateway")) : null;
if (gateway is not null)
{
    Console.WriteLine($"gateway: {gateway.Executable}; config: {gateway.ConfigFile}; log: {gateway.LogFile}; idle RSS {gateway.CurrentRssMegabytes:F1} MB");
    foreach (var (name, value) in gatewayEnvironment)
    {
        Console.WriteLine($"gateway environment: {name}={value}");
    }

    await WarmUpAsync("gateway", gateway, "fleet", filtered: true);
}

// Phases run one at a time, so the gateway, still connected, is idle while the floor runs and the other way round.
await using var floor = floorTransport is null ? null : await MeasuredProcess.StartRelayFloorAsync(broker.Port, floorTransport, gatewayEnvironment);
if (floor is not null)
{
    Console.WriteLine($"floor: relay-floor over {floorTransport}; log: {floor.LogFile}; idle RSS {floor.CurrentRssMegabytes:F1} MB");
    await WarmUpAsync("floor", floor, "floor", filtered: false);
}

var results = new List<LoadResult>();
for (var run = 0; run < runs; run++)
{
    // Each run its own seed, so the gateway's report-by-exception sees new values, not a repeat of the last run's.
    if (relay)
    {
        results.Add(await new LoadRun(broker.Port, new FleetGenerator(sensors, seed + run, "relay"), readings, rate, filtered: false).RunAsync("relay", "relay/+/reading", 1, broker.Process, null));
    }

    if (gateway is not null)
    {
        results.Add(await ThroughAsync("gateway", gateway, "fleet", filtered: true, readings, seed + run));
    }

    if (floor is not null)
    {
        results.Add(await ThroughAsync("floor", floor, "floor", filtered: false, readings, seed + run));
    }
}

Console.WriteLine();
Console.WriteLine("| path | readings | expected outputs | delivered | duplicates | throughput (/s) | p50 (ms) | p99 (ms) | gateway or floor CPU (µs/reading) | gateway or floor peak RSS (MB) | broker CPU (µs/reading) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine(Row(r.Name, r));
}

if (results.Count > 1)
{
    foreach (var name in results.Select(r => r.Name).Distinct())
    {
        Console.WriteLine(Row($"{name} (median)", LoadResult.Median(results.Where(r => r.Name == name).ToList())));
    }
}

foreach (var path in new[] { "gateway", "floor" })
{
    // Ratios per run (relay and the path measured back to back), then their median.
    var pairs = results.Where(r => r.Name == "relay").Zip(results.Where(r => r.Name == path), (r, p) => (Relay: r, Path: p)).ToList();
    if (pairs.Count == 0)
    {
        continue;
    }

    var ratios = pairs.Select(p => p.Path.Throughput / p.Relay.Throughput).Order().ToList();
    var p99Differences = pairs.Select(p => p.Path.P99Milliseconds - p.Relay.P99Milliseconds).Order().ToList();
    Console.WriteLine(FormattableString.Invariant(
        $"{path} / relay throughput per run: {string.Join(", ", ratios.Select(r => r.ToString("P1", CultureInfo.InvariantCulture)))}; median {ratios[ratios.Count / 2]:P1}"));
    Console.WriteLine(FormattableString.Invariant(
        $"{path} p99 - relay p99 per run: {string.Join(", ", p99Differences.Select(d => d.ToString("F2", CultureInfo.InvariantCulture)))} ms; median {p99Differences[p99Differences.Count / 2]:F2} ms"));
}

var complete = results.All(r => r.Delivered == r.Expected && r.Duplicates == 0);
Console.WriteLine(complete ? "every input expected to have an output had exactly one" : "MISSING OR DUPLICATE OUTPUTS: see the delivered and duplicates columns");
return complete ? 0 : 1;

// Readings published on <root>/<sensor>/reading through a measured process (the gateway or the floor), whose outputs
// come back on floxide/load/<sensor>/state.
Task<LoadResult> ThroughAsync(string name, MeasuredProcess process, string root, bool filtered, int count, int fleetSeed) =>
    new LoadRun(broker.Port, new FleetGenerator(sensors, fleetSeed, root), count, rate, filtered).RunAsync(name, "floxide/load/+/state", 2, broker.Process, process);

// Not measured: a gateway runs for months, so the figures are for its steady state, after the JIT tiered up.
async Task WarmUpAsync(string name, MeasuredProcess process, string root, bool filtered)
{
    if (warmup > 0)
    {
        var warm = await ThroughAsync("warm-up", process, root, filtered, warmup, seed - 1);
        Console.WriteLine($"{name} warm-up: {warm.Delivered}/{warm.Expected} delivered");
    }
}

static string Row(string name, LoadResult r) => FormattableString.Invariant(
    $"| {name} | {r.Readings} | {r.Expected} | {r.Delivered} | {r.Duplicates} | {r.Throughput:F0} | {r.P50Milliseconds:F2} | {r.P99Milliseconds:F2} | {(r.GatewayCpuMicrosecondsPerReading is { } cpu ? cpu.ToString("F1", CultureInfo.InvariantCulture) : "-")} | {(r.GatewayPeakRssMegabytes is { } rss ? rss.ToString("F1", CultureInfo.InvariantCulture) : "-")} | {r.BrokerCpuMicrosecondsPerReading:F1} |");
