using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Floxide.Edge.LoadTests;

/// <summary>
/// A process under measurement, whose CPU time and RSS are its own: the real gateway (<c>floxide-edge run</c> from the
/// same build configuration as this tool, in its own temp directory with a configuration file pointing it at the
/// load's mosquitto: fleet ingest on the default <c>fleet/{sensorId}/reading</c>, gateway id <c>load</c>; simulation,
/// Home Assistant discovery and the metrics endpoint off, so the fleet is its only load), ready when it logs that MQTT
/// is connected; or this tool's <see cref="RelayFloor"/>, ready when it has subscribed.
/// </summary>
internal sealed class MeasuredProcess : IAsyncDisposable
{
    private const string LogFileName = "output.log";

    private readonly DirectoryInfo directory;

    private MeasuredProcess(Process process, DirectoryInfo directory, string executable)
    {
        Process = process;
        this.directory = directory;
        Executable = executable;
    }

    public Process Process { get; }

    public string Executable { get; }

    public string ConfigFile => Path.Combine(directory.FullName, "gateway.json");

    public string LogFile => Path.Combine(directory.FullName, LogFileName);

    /// <summary>The process's resident set now (VmRSS).</summary>
    public double CurrentRssMegabytes => Status("VmRSS:");

    /// <summary>The process's peak resident set since it started (VmHWM).</summary>
    public double PeakRssMegabytes => Status("VmHWM:");

    /// <summary>Starts the gateway.</summary>
    /// <param name="brokerPort">The load's mosquitto.</param>
    /// <param name="environment">Extra environment variables of the gateway process.</param>
    /// <param name="executable">
    /// A gateway executable to run (e.g. the NativeAOT build from <c>deploy/publish.sh</c>); null runs the one built
    /// next to this tool.
    /// </param>
    public static async Task<MeasuredProcess> StartAsync(int brokerPort, IReadOnlyDictionary<string, string> environment, string? executable = null)
    {
        executable = executable is null ? BuiltAlongside() : Path.GetFullPath(executable);
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"The gateway is not built at {executable}: build this tool with the same configuration (it builds the gateway too), or pass --gateway PATH.");
        }

        var directory = Directory.CreateTempSubdirectory("floxide-load-gateway-");
        var config = new JsonObject
        {
            ["Floxide"] = new JsonObject
            {
                ["Host"] = new JsonObject { ["StateDirectory"] = Path.Combine(directory.FullName, "state") },
                ["Mqtt"] = new JsonObject
                {
                    ["Host"] = "127.0.0.1",
                    ["Port"] = brokerPort,
                    ["GatewayId"] = "load",
                    ["HomeAssistant"] = new JsonObject { ["Enabled"] = false },
                },
                ["Simulation"] = new JsonObject { ["Enabled"] = false },
                ["Metrics"] = new JsonObject { ["Enabled"] = false },
            },
        };
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "gateway.json"), config.ToJsonString());

        return await LaunchAsync(executable, ["run", "--plain", "--config", Path.Combine(directory.FullName, "gateway.json")], environment, directory, "MQTT: connected to");
    }

    /// <summary>Starts <see cref="RelayFloor"/> as a process of its own.</summary>
    /// <param name="brokerPort">The load's mosquitto.</param>
    /// <param name="variant"><c>coalescing</c>, <c>mqttnet</c> or <c>hosted</c> (see <see cref="RelayFloor"/>).</param>
    /// <param name="environment">Extra environment variables of the process.</param>
    public static Task<MeasuredProcess> StartRelayFloorAsync(int brokerPort, string variant, IReadOnlyDictionary<string, string> environment)
    {
        // The gateway's own runtime settings (its project file), so the floor differs from it only in what it runs.
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["DOTNET_TieredPGO"] = "0", ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0" };
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        var self = typeof(MeasuredProcess).Assembly.Location;
        return LaunchAsync(
            "dotnet", [self, RelayFloor.Command, brokerPort.ToString(CultureInfo.InvariantCulture), variant], settings,
            Directory.CreateTempSubdirectory("floxide-load-floor-"), RelayFloor.ReadyLine);
    }

    private static async Task<MeasuredProcess> LaunchAsync(string executable, string[] arguments, IReadOnlyDictionary<string, string> environment, DirectoryInfo directory, string readyLine)
    {
        var start = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        // Only the file configures it: no FLOXIDE_* overrides, no systemd notification from the caller's environment.
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("FLOXIDE_", StringComparison.Ordinal) || key is "NOTIFY_SOCKET" or "WATCHDOG_USEC" or "CREDENTIALS_DIRECTORY").ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StreamWriter(Path.Combine(directory.FullName, LogFileName)) { AutoFlush = true };
        void Log(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (line.Contains(readyLine, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }

            lock (log)
            {
                log.WriteLine(line);
            }
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Log(line.Data);
        process.ErrorDataReceived += (_, line) => Log(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw new InvalidOperationException($"{Path.GetFileName(executable)} {string.Join(' ', arguments.Take(1))} was not ready within 90 s; see {Path.Combine(directory.FullName, LogFileName)}.");
        }

        return new MeasuredProcess(process, directory, executable);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }

        await Process.WaitForExitAsync();
        Process.Dispose();
    }

    // tests/Floxide.Edge.LoadTests/bin/<configuration>/<tfm>/ -> src/Floxide.Edge.Gateway/bin/<configuration>/<tfm>/floxide-edge
    private static string BuiltAlongside()
    {
        var self = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.GetFullPath(Path.Combine(self.FullName, "..", "..", "..", "..", "..", "src", "Floxide.Edge.Gateway", "bin", self.Parent!.Name, self.Name, "floxide-edge"));
    }

    private double Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }
}
