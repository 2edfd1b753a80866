using System.CommandLine;
using System.Globalization;
using Floxide.Edge.Devices;
using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Sensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Gateway.Cli;

/// <summary>
/// The <c>floxide-edge</c> command line: <c>run</c> (the default), <c>validate</c>, <c>devices</c>,
/// <c>devices scan</c>, <c>graph</c>, <c>simulate</c> and <c>--version</c>.
/// </summary>
public static partial class GatewayCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the command.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code; see <see cref="ExitCodes"/>.</returns>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = Build();
        // The host handles SIGTERM/SIGINT itself (stop input, drain, flush); System.CommandLine must not race it.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    internal static RootCommand Build()
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = $"The gateway's configuration file (default {GatewayConfigurationSources.DefaultFilePath}, optional)",
            Recursive = true,
        };
        var plain = new Option<bool>("--plain") { Description = "Write plain log lines even on a terminal" };

        var root = new RootCommand("floxide-edge: an IoT edge gateway for temperature and humidity sensors, on Floxide's event-driven workflow engine");
        root.Options.Add(config);
        root.Options.Add(plain);
        foreach (var option in root.Options)
        {
            if (option is VersionOption version)
            {
                version.Action = new PrintVersionAction();
            }
        }

        root.SetAction((result, _) => RunAsync(result.GetValue(config), result.GetValue(plain)));

        var run = new Command("run", "Run the gateway (the default command)") { plain };
        run.SetAction((result, _) => RunAsync(result.GetValue(config), result.GetValue(plain)));
        root.Subcommands.Add(run);

        var validate = new Command("validate", "Check the configuration and exit: 0 when valid, 78 with every problem named");
        validate.SetAction(result => Validate(result.GetValue(config)));
        root.Subcommands.Add(validate);

        var graph = new Command("graph", "Print the gateway's workflow as a Mermaid flowchart");
        graph.SetAction((result, _) => GraphAsync(result.GetValue(config)));
        root.Subcommands.Add(graph);

        var bus = new Option<int>("--bus") { Description = "The I²C bus number (/dev/i2c-N)", DefaultValueFactory = _ => 1 };
        var devices = new Command("devices", "List the supported device profiles");
        devices.SetAction(result => ListDevices(result.GetValue(config)));
        var scan = new Command("scan", "Probe an I²C bus for devices and match them with the profiles") { bus };
        scan.SetAction((result, token) => Task.FromResult(ScanBus(result.GetValue(config), result.GetValue(bus), token)));
        devices.Subcommands.Add(scan);
        root.Subcommands.Add(devices);

        root.Subcommands.Add(SimulateCommand.Build(config));
        return root;
    }

    internal static async Task<int> RunAsync(string? configPath, bool plain)
    {
        using var gateway = GatewayHost.Build(GatewayConfigurationSources.Create(configPath), ConsoleModeDetector.Detect(plain));
        if (ReportedProblems(gateway))
        {
            return ExitCodes.Configuration;
        }

        var logger = gateway.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Floxide.Edge.Gateway");
        var layers = gateway.Sources.Describe();
        var version = VersionInfo.Describe();
        LogStarting(logger, version, layers);
        try
        {
            await gateway.Host.RunAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever stops a part from starting ends the process with EX_SOFTWARE, logged.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogCouldNotRun(logger, exception.Message, exception);
            return ExitCodes.Software;
        }

        return Environment.ExitCode;
    }

    internal static int Validate(string? configPath)
    {
        using var gateway = BuildWithoutRunning(configPath);
        if (ReportedProblems(gateway))
        {
            return ExitCodes.Configuration;
        }

        Console.Out.WriteLine($"The configuration is valid ({gateway.Sources.Describe()}).");
        return ExitCodes.Success;
    }

    internal static async Task<int> GraphAsync(string? configPath)
    {
        using var gateway = BuildWithoutRunning(configPath);
        if (ReportedProblems(gateway))
        {
            return ExitCodes.Configuration;
        }

        // The workflow `run` would start, assembled from the same configuration, without connecting or publishing.
        var workflow = WorkflowServiceCollectionExtensions.CreateGatewayWorkflow(gateway.Services, DiscardingReadingSink.Instance, []);
        await using (workflow.ConfigureAwait(false))
        {
            Console.Out.Write(workflow.ToMermaid());
        }

        return ExitCodes.Success;
    }

    internal static int ListDevices(string? configPath)
    {
        using var gateway = BuildWithoutRunning(configPath);
        var listing = gateway.Services.GetService<IDeviceProfileListing>();
        if (listing is null || listing.Profiles.Count == 0)
        {
            Console.Error.WriteLine("floxide-edge: this build has no device profiles yet; they come with the sensors feature (devices/<model>/profile.json).");
            return ExitCodes.Unavailable;
        }

        Console.Out.WriteLine($"{"model",-12} {"bus",-7} {"addresses",-12} {"poll",-8} measures");
        foreach (var profile in listing.Profiles)
        {
            var addresses = string.Join(",", profile.I2cAddresses.Select(address => $"0x{address:x2}"));
            var poll = profile.DefaultPollInterval is { } interval ? $"{interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : "-";
            Console.Out.WriteLine($"{profile.Model,-12} {profile.Bus,-7} {(addresses.Length == 0 ? "-" : addresses),-12} {poll,-8} {string.Join(", ", profile.Quantities)}");
        }

        return ExitCodes.Success;
    }

    internal static int ScanBus(string? configPath, int busId, CancellationToken cancellationToken)
    {
        using var gateway = BuildWithoutRunning(configPath);
        using var hardware = new SystemSensorHardware();
        return DevicesScanCommand.Run(Console.Out, Console.Error, DevicesScanCommand.DeviceDirectory,
            gateway.Services.GetRequiredService<DeviceCatalog>(), hardware, busId, cancellationToken);
    }

    /// <summary>The host of a command that reads the configuration and starts nothing (no file watch, plain console).</summary>
    private static GatewayHost BuildWithoutRunning(string? configPath) =>
        GatewayHost.Build(GatewayConfigurationSources.Create(configPath, watchFile: false), ConsoleMode.Plain);

    /// <summary>Writes the configuration's problems, if it has any, and says whether it had.</summary>
    private static bool ReportedProblems(GatewayHost gateway)
    {
        if (gateway.Problems.Count == 0)
        {
            return false;
        }

        ReportProblems(gateway.Problems, gateway.Sources);
        return true;
    }

    internal static void ReportProblems(IReadOnlyList<ConfigurationProblem> problems, GatewayConfigurationSources sources)
    {
        var error = Console.Error;
        error.WriteLine($"floxide-edge: the configuration has {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")} (exit code 78, EX_CONFIG):");
        foreach (var problem in problems)
        {
            error.WriteLine("  - " + problem);
        }

        error.WriteLine($"Read from: {sources.Describe()}.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Version}; configuration: {Layers}")]
    private static partial void LogStarting(ILogger logger, string version, string layers);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The gateway could not run: {Reason}")]
    private static partial void LogCouldNotRun(ILogger logger, string reason, Exception exception);

    private sealed class DiscardingReadingSink : Floxide.Edge.Readings.IReadingSink
    {
        public static readonly DiscardingReadingSink Instance = new();

        public ValueTask WriteAsync(Floxide.Edge.Readings.SensorReading reading, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class PrintVersionAction : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(VersionInfo.Describe());
            return ExitCodes.Success;
        }
    }
}
