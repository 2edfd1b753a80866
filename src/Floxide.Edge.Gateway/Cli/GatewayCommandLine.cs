using System.CommandLine;
using System.Globalization;
using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Hosting;
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
        var mode = ConsoleModeDetector.Detect(plain);
        GatewayConfigurationSources sources;
        using var gateway = GatewayHost.Build(sources = GatewayConfigurationSources.Create(configPath), mode);
        if (gateway.Problems.Count > 0)
        {
            ReportProblems(gateway.Problems, sources);
            return ExitCodes.Configuration;
        }

        var logger = gateway.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Floxide.Edge.Gateway");
        var layers = sources.Describe();
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
        var sources = GatewayConfigurationSources.Create(configPath, watchFile: false);
        using var gateway = GatewayHost.Build(sources, ConsoleMode.Plain);
        if (gateway.Problems.Count > 0)
        {
            ReportProblems(gateway.Problems, sources);
            return ExitCodes.Configuration;
        }

        Console.Out.WriteLine($"The configuration is valid ({sources.Describe()}).");
        return ExitCodes.Success;
    }

    internal static async Task<int> GraphAsync(string? configPath)
    {
        var sources = GatewayConfigurationSources.Create(configPath, watchFile: false);
        using var gateway = GatewayHost.Build(sources, ConsoleMode.Plain);
        if (gateway.Problems.Count > 0)
        {
            ReportProblems(gateway.Problems, sources);
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
        using var gateway = GatewayHost.Build(GatewayConfigurationSources.Create(configPath, watchFile: false), ConsoleMode.Plain);
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
        if (!I2cBusScanner.BusExists(busId))
        {
            Console.Error.WriteLine($"floxide-edge: there is no I²C bus /dev/i2c-{busId}. On a Raspberry Pi enable I²C " +
                "(sudo raspi-config nonint do_i2c 0, or dtparam=i2c_arm=on in /boot/firmware/config.txt) and reboot; " +
                "then check the bus number with ls /dev/i2c-*.");
            return ExitCodes.Unavailable;
        }

        using var gateway = GatewayHost.Build(GatewayConfigurationSources.Create(configPath, watchFile: false), ConsoleMode.Plain);
        var profiles = gateway.Services.GetService<IDeviceProfileListing>()?.Profiles ?? [];
        IReadOnlyList<int> found;
        try
        {
            found = new I2cBusScanner(System.Device.I2c.I2cDevice.Create).Scan(busId, cancellationToken);
        }
        catch (UnauthorizedAccessException exception)
        {
            Console.Error.WriteLine($"floxide-edge: cannot open /dev/i2c-{busId} ({exception.Message}); add your user to the i2c group (sudo adduser $USER i2c) and log in again.");
            return ExitCodes.Unavailable;
        }

        Console.Out.Write(ScanReport.Format(busId, found, profiles));
        return ExitCodes.Success;
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

/// <summary>Formats a bus scan like <c>i2cdetect</c>, followed by the profiles that match each address.</summary>
internal static class ScanReport
{
    public static string Format(int busId, IReadOnlyList<int> found, IReadOnlyList<DeviceProfileSummary> profiles)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"I²C bus {busId}: {found.Count} device(s)\n");
        text.Append("     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n");
        for (var row = 0; row < 8; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row * 16:x2}:");
            for (var column = 0; column < 16; column++)
            {
                var address = (row * 16) + column;
                text.Append(address < I2cBusScanner.FirstAddress || address > I2cBusScanner.LastAddress
                    ? "   "
                    : found.Contains(address) ? string.Create(CultureInfo.InvariantCulture, $" {address:x2}") : " --");
            }

            text.Append('\n');
        }

        foreach (var address in found)
        {
            var matches = profiles.Where(profile => profile.I2cAddresses.Contains(address)).Select(profile => profile.Model).ToList();
            text.Append(CultureInfo.InvariantCulture, $"0x{address:x2}: {(matches.Count == 0 ? "no matching profile" : "could be " + string.Join(" or ", matches))}\n");
        }

        return text.ToString();
    }
}
