using System.Text.Json.Nodes;
using Floxide.Edge.Devices;
using Floxide.Edge.Sensors;
using Floxide.Edge.Simulation;
using Floxide.Edge.Tests.Support;
using Json.Schema;
using Microsoft.Extensions.Configuration;

namespace Floxide.Edge.Tests.Devices;

public sealed class GatewayConfigurationTests
{
    private static readonly DeviceCatalog Catalog = DeviceCatalog.LoadEmbedded();
    private static readonly JsonSchema GatewaySchema = JsonSchema.FromFile(DeviceProfileTests.SchemaPath("gateway.schema.json"));

    public static TheoryData<string> ExampleFiles() => [.. RepositoryFiles.ExampleFiles];

    [Fact]
    public void Examples_TheFourTypicalSetups_AreThere()
    {
        Assert.Equal(["fleet-only.json", "pi-bme280-sht31.json", "pi-dht22-gpio4.json", "simulated.json"],
            RepositoryFiles.ExampleFiles.Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Example_ValidatesAgainstSchema_BindsAndPassesValidation(string file)
    {
        var result = GatewaySchema.Evaluate(JsonNode.Parse(File.ReadAllText(file)), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, DeviceProfileTests.Describe(result));

        var (sensors, simulation) = Bind(new ConfigurationBuilder().AddJsonFile(file).Build());

        Assert.Empty(new SensorsOptionsValidator(Catalog).Problems(sensors));
        Assert.Empty(new SimulationOptionsValidator(Catalog).Problems(simulation));
    }

    [Fact]
    public void Bind_BmeSht31Example_ReadsHexAddressesAndIntervals()
    {
        var file = RepositoryFiles.ExampleFiles.Single(f => f.EndsWith("pi-bme280-sht31.json", StringComparison.Ordinal));
        var (sensors, simulation) = Bind(new ConfigurationBuilder().AddJsonFile(file).Build());

        Assert.Equal([0x76, 0x44], sensors.Devices.Select(d => d.Address));
        Assert.Equal(TimeSpan.FromSeconds(2), sensors.ReadTimeout);
        Assert.False(simulation.IsActive(sensors.Devices.Count));
    }

    [Fact]
    public void Simulation_NoConfiguration_IsActiveWithDefaults()
    {
        var (sensors, simulation) = Bind(new ConfigurationBuilder().Build());

        Assert.True(simulation.IsActive(sensors.Devices.Count));
        Assert.Equal(SimulationOptions.DefaultOnBoard, simulation.EffectiveOnBoard);
        Assert.Empty(new SimulationOptionsValidator(Catalog).Problems(simulation));
    }

    [Fact]
    public void Validate_BadSensors_NamesKeyValueAndFix()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Floxide:Sensors:FaultsBeforeOffline"] = "0",
            ["Floxide:Sensors:BusWaitTimeout"] = "00:20:00",
            ["Floxide:Sensors:Devices:0:Id"] = "attic",
            ["Floxide:Sensors:Devices:0:Model"] = "bme208",
            ["Floxide:Sensors:Devices:1:Id"] = "attic",
            ["Floxide:Sensors:Devices:1:Model"] = "bme280",
            ["Floxide:Sensors:Devices:1:Address"] = "0x50",
            ["Floxide:Sensors:Devices:2:Id"] = "porch/+",
            ["Floxide:Sensors:Devices:2:Model"] = "dht22",
            ["Floxide:Sensors:Devices:2:Interval"] = "00:00:01",
            ["Floxide:Sensors:Devices:3:Id"] = "tank",
            ["Floxide:Sensors:Devices:3:Model"] = "ds18b20",
            ["Floxide:Sensors:Devices:3:OneWireId"] = "10-0316a2793d0f",
            ["Floxide:Sensors:Devices:4:Id"] = "a",
            ["Floxide:Sensors:Devices:4:Model"] = "sht3x",
            ["Floxide:Sensors:Devices:5:Id"] = "b",
            ["Floxide:Sensors:Devices:5:Model"] = "sht3x",
            ["Floxide:Sensors:Devices:5:Address"] = "68",
        }).Build();
        var (sensors, _) = Bind(configuration);

        var result = new SensorsOptionsValidator(Catalog).Validate(null, sensors);

        Assert.True(result.Failed);
        var problems = result.Failures!.ToList();
        string[] expected =
        [
            "Floxide:Sensors:FaultsBeforeOffline is 0; set it to a count from 1 to 1000",
            "Floxide:Sensors:BusWaitTimeout is 00:20:00; set it from 00:00:00.010 to 00:10:00 (default 00:00:30).",
            "Floxide:Sensors:Devices:0:Model is \"bme208\", which is not a device profile; use one of aht10, aht20, bme280",
            "Floxide:Sensors:Devices:1:Id is \"attic\", already the id of Floxide:Sensors:Devices:0",
            "Floxide:Sensors:Devices:1:Address is 0x50; a Bosch BME280 answers only at 0x76 or 0x77",
            "Floxide:Sensors:Devices:2:Id is \"porch/+\"; use at most 64 letters",
            "Floxide:Sensors:Devices:2:Interval is 00:00:01; a dht22 may be read at most every 00:00:02",
            "Floxide:Sensors:Devices:2:Pin is missing; set the GPIO number (BCM)",
            "Floxide:Sensors:Devices:3:OneWireId is \"10-0316a2793d0f\"; a Maxim DS18B20 is named \"28-\"",
            "Floxide:Sensors:Devices:5:Address is 0x44 on bus 1, already taken by Floxide:Sensors:Devices:4",
        ];
        Assert.Equal(expected.Length, problems.Count);
        foreach (var (message, start) in problems.Zip(expected))
        {
            Assert.StartsWith(start, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_BadSimulation_NamesKeyValueAndFix()
    {
        var simulation = new SimulationOptions
        {
            FleetInterval = TimeSpan.FromMilliseconds(10),
            OnBoard = ["bme280", "BME280", "lm75"],
            SpikeProbability = 1.5,
        };

        var problems = new SimulationOptionsValidator(Catalog).Problems(simulation).ToList();

        Assert.Equal(4, problems.Count);
        Assert.StartsWith("Floxide:Simulation:FleetInterval is 00:00:00.0100000; set it from 00:00:00.100", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Floxide:Simulation:SpikeProbability is 1.5; set a probability from 0 to 1", problems[1], StringComparison.Ordinal);
        Assert.StartsWith("Floxide:Simulation:OnBoard:1 is \"BME280\", listed already", problems[2], StringComparison.Ordinal);
        Assert.StartsWith("Floxide:Simulation:OnBoard:2 is \"lm75\", which is not a device profile", problems[3], StringComparison.Ordinal);
    }

    private static (SensorsOptions Sensors, SimulationOptions Simulation) Bind(IConfiguration configuration)
    {
        var sensors = new SensorsOptions();
        configuration.GetSection(SensorsOptions.SectionName).Bind(sensors);
        var simulation = new SimulationOptions();
        configuration.GetSection(SimulationOptions.SectionName).Bind(simulation);
        return (sensors, simulation);
    }
}
