using Floxide.Edge.Gateway.Tests.Support;

namespace Floxide.Edge.Gateway.Tests.Configuration;

/// <summary>Exit codes and messages of the real executable for good and bad configurations.</summary>
public sealed class CommandLineConfigurationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_InvalidConfiguration_ExitsWith78NamingEveryProblem()
    {
        using var config = new TempConfig("""{ "Floxide": { "Metrics": { "Port": 0 }, "Host": { "ProcessingBudget": "00:00:00" }, "Sensorz": {} } }""");
        using var socket = NotifySocketListener.AtPath();
        using var gateway = GatewayProcess.Start(["run", "--config", config.Path], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = socket.Address });

        Assert.Equal(78, await gateway.WaitForExitAsync(Patience));
        Assert.Contains("the configuration has 3 problems (exit code 78, EX_CONFIG)", gateway.Error, StringComparison.Ordinal);
        Assert.Contains("Floxide:Metrics:Port = '0': must be from 1 to 65535", gateway.Error, StringComparison.Ordinal);
        Assert.Contains("Floxide:Host:ProcessingBudget = '00:00:00': must be from", gateway.Error, StringComparison.Ordinal);
        Assert.Contains("Floxide:Sensorz: is not a section this gateway knows; the sections are ", gateway.Error, StringComparison.Ordinal);
        Assert.Contains("Fix: did you mean 'Sensors'? Otherwise remove it.", gateway.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(socket.Received, message => message.Has("READY=1"));
    }

    [Fact]
    public async Task Validate_ValidFile_ExitsZero()
    {
        using var config = new TempConfig("""{ "Floxide": { "Metrics": { "Enabled": false }, "EmbeddedBroker": { "Port": 1884 } } }""");
        using var gateway = GatewayProcess.Start(["validate", "--config", config.Path]);

        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
        Assert.Contains("The configuration is valid", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_InvalidFile_ExitsWith78()
    {
        using var config = new TempConfig("""{ "Floxide": { "Host": { "ProcessingBudget": "whenever" } } }""");
        using var gateway = GatewayProcess.Start(["validate", "--config", config.Path]);

        Assert.Equal(78, await gateway.WaitForExitAsync(Patience));
        Assert.Contains("Floxide:Host:ProcessingBudget = 'whenever': is not a duration", gateway.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsVersionRuntimeAndBuildKind()
    {
        using var gateway = GatewayProcess.Start(["--version"]);

        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
        Assert.Matches(@"^floxide-edge \d+\.\d+\.\d+\S* \(\.NET 10\.\d+\.\d+, linux-\w+, (JIT|NativeAOT)\)", gateway.Output);
    }

    [Fact]
    public async Task Graph_PrintsTheWorkflowAsMermaid()
    {
        using var config = new TempConfig("{}");
        using var gateway = GatewayProcess.Start(["graph", "--config", config.Path]);

        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
        Assert.StartsWith("flowchart LR\n    %% gateway\n    n0([\"events\"])", gateway.Output, StringComparison.Ordinal);
        foreach (var node in new[] { "dispatch", "validate", "calibrate", "classify", "alert", "publish-filter", "publish", "watchdog" })
        {
            Assert.Contains($"[\"{node}\"]", gateway.Output, StringComparison.Ordinal);
        }

        Assert.Contains("-->|\"Publish\"|", gateway.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(gateway.StateDirectory, "outbox.db")), "graph connects to nothing and stores nothing");
        Assert.Empty(Directory.EnumerateFileSystemEntries(gateway.StateDirectory));
    }

    [Fact]
    public async Task Graph_InvalidConfiguration_Exits78NamingTheProblemAndPrintsNoGraph()
    {
        using var config = new TempConfig("""{ "Floxide": { "Workflow": { "Nonsense": 1 } } }""");
        using var gateway = GatewayProcess.Start(["graph", "--config", config.Path]);

        Assert.Equal(78, await gateway.WaitForExitAsync(Patience));
        Assert.Contains("Floxide:Workflow:Nonsense = '1': is not a setting here", gateway.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("flowchart", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Devices_ListsEveryBuiltInProfile()
    {
        using var gateway = GatewayProcess.Start(["devices"]);

        Assert.Equal(0, await gateway.WaitForExitAsync(Patience));
        var lines = gateway.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("model", lines[0], StringComparison.Ordinal);
        Assert.Equal(["aht10", "aht20", "bme280", "bmp280", "dht11", "dht22", "ds18b20", "htu21d", "sht3x", "sht4x", "si7021"],
            lines.Skip(1).Select(line => line.Split(' ')[0]));
        Assert.Contains(lines, line => line.StartsWith("bme280", StringComparison.Ordinal) && line.Contains("0x76,0x77", StringComparison.Ordinal)
            && line.Contains("temperature, humidity, pressure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DevicesScan_NoSuchBus_ExitsUnavailableWithAdvice()
    {
        using var gateway = GatewayProcess.Start(["devices", "scan", "--bus", "97"]);

        Assert.Equal(69, await gateway.WaitForExitAsync(Patience));
        Assert.Contains("there is no I²C bus /dev/i2c-97", gateway.Error, StringComparison.Ordinal);
    }
}
