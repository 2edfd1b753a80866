using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Floxide.Edge.Devices;
using Floxide.Edge.Readings;
using Floxide.Edge.Tests.Support;
using Json.Schema;

namespace Floxide.Edge.Tests.Devices;

public sealed class DeviceProfileTests
{
    private static readonly string[] SupportedModels =
        ["aht10", "aht20", "bme280", "bmp280", "dht11", "dht22", "ds18b20", "htu21d", "sht3x", "sht4x", "si7021"];

    public static TheoryData<string> ProfileFiles() => [.. RepositoryFiles.ProfileFiles];

    [Fact]
    public void LoadEmbedded_EveryModelOfDevicesFolder_IsEmbedded()
    {
        var catalog = DeviceCatalog.LoadEmbedded();

        Assert.Equal(SupportedModels, catalog.Models);
        var bme280 = catalog.Get("BME280");
        Assert.Equal(DeviceDrivers.Bme280, bme280.Driver);
        Assert.Equal(0x76, bme280.I2c!.DefaultAddress);
        Assert.Equal([0x76, 0x77], bme280.I2c.Addresses);
        Assert.Equal(new ChipIdRegister(0xD0, 0x60), bme280.I2c.ChipId);
        Assert.Equal(new ValueRange(300, 1100), bme280.Ranges[Quantity.Pressure]);
        Assert.Equal(new ValueRange(-40, 85), bme280.Ranges[Quantity.Temperature]);
        Assert.Equal(TimeSpan.FromSeconds(10), bme280.DefaultInterval);
        Assert.Equal(DeviceDrivers.Si7021, catalog.Get("htu21d").Driver);
        Assert.Equal(0x28, catalog.Get("ds18b20").OneWire!.Family);
    }

    [Fact]
    public void LoadDirectory_DevicesFolder_MatchesEmbeddedProfiles()
    {
        var fromFolder = DeviceCatalog.LoadDirectory(RepositoryFiles.DevicesDirectory);
        var embedded = DeviceCatalog.LoadEmbedded();

        Assert.Equal(embedded.Models, fromFolder.Models);
        foreach (var profile in embedded.All)
        {
            Assert.Equal(JsonSerializer.Serialize(profile), JsonSerializer.Serialize(fromFolder.Get(profile.Model)));
        }
    }

    [Theory]
    [MemberData(nameof(ProfileFiles))]
    public void ProfileFile_ValidatesAgainstSchemaAndReader(string file)
    {
        var text = File.ReadAllText(file);
        var result = ProfileSchema.Evaluate(JsonNode.Parse(text), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, Describe(result));

        var model = Path.GetFileName(Path.GetDirectoryName(file))!;
        var profile = DeviceProfileReader.Read(file, Encoding.UTF8.GetBytes(text), model);
        Assert.Equal(model, profile.Model);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(file)!, "README.md")), $"{model} has no README.md");
    }

    [Theory]
    [MemberData(nameof(ProfileFiles))]
    public void ProfileReadme_HasWiringEnablingAddressesAccuracyAndDatasheet(string file)
    {
        var model = Path.GetFileName(Path.GetDirectoryName(file))!;
        var profile = DeviceCatalog.LoadEmbedded().Get(model);
        var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(file)!, "README.md"));

        Assert.Contains($"— profile `{model}`", readme, StringComparison.Ordinal);
        Assert.Contains("## Wiring on a Raspberry Pi", readme, StringComparison.Ordinal);
        Assert.Contains("## Accuracy", readme, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^Datasheet: \S", readme);
        switch (profile.Bus)
        {
            case DeviceBus.I2c:
                Assert.Contains("dtparam=i2c_arm=on", readme, StringComparison.Ordinal);
                Assert.All(profile.I2c!.Addresses, address => Assert.Contains($"0x{address:x2}", readme, StringComparison.Ordinal));
                break;
            case DeviceBus.OneWire:
                Assert.Contains("dtoverlay=w1-gpio", readme, StringComparison.Ordinal);
                break;
            default:
                Assert.Contains("`Pin`", readme, StringComparison.Ordinal);
                break;
        }
    }

    [Theory]
    [InlineData("README.md", "## Supported sensors")]
    [InlineData("devices/README.md", "| profile |")]
    public void Readme_SupportedSensorsTable_ListsEveryProfileByName(string file, string tableStart)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.RepositoryRoot, file));
        var start = text.IndexOf(tableStart, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{file} has no \"{tableStart}\"");
        var rows = text[start..].Split('\n').SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|'));

        var listed = rows.SelectMany(row => row.Split('|')).Select(cell => cell.Trim())
            .Where(cell => cell.Length > 2 && cell[0] == '`' && cell[^1] == '`').Select(cell => cell[1..^1]);

        Assert.Equal(SupportedModels, listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ProfileSchema_DriverEnum_MatchesDriverKeys()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaPath("profile.schema.json")))!;
        var drivers = schema["properties"]!["driver"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());

        Assert.Equal(DeviceDrivers.All, drivers);
    }

    [Theory]
    [InlineData("\"model\": \"bme280\"", "\"model\": \"bme281\"", "model", "expected \"bme280\", the name of the profile's folder", false)]
    [InlineData("\"driver\": \"bme280\"", "\"driver\": \"bosch\"", "driver", "expected one of bme280, bmp280", true)]
    [InlineData("\"bus\": \"i2c\"", "\"bus\": \"spi\"", "bus", "expected \"i2c\", \"gpio\" or \"1-wire\"", true)]
    [InlineData("\"defaultAddress\": \"0x76\"", "\"defaultAddress\": 118", "i2c.defaultAddress", "expected a hexadecimal string", true)]
    [InlineData("\"defaultAddress\": \"0x76\"", "\"defaultAddress\": \"0x7F\"", "i2c.defaultAddress", "from \"0x08\" to \"0x77\"", true)]
    [InlineData("\"min\": 300", "\"min\": 1200", "quantities.pressure.max", "expected max > min", false)]
    [InlineData("\"min\": 300", "\"min\": \"low\"", "quantities.pressure.min", "expected a number in hPa", true)]
    [InlineData("\"humidity\": {", "\"moisture\": {", "quantities.moisture", "is not a quantity", true)]
    [InlineData("\"defaultInterval\": \"00:00:10\"", "\"defaultInterval\": \"10s\"", "defaultInterval", "expected a positive duration such as \"00:00:10\"", true)]
    [InlineData("\"defaultInterval\": \"00:00:10\"", "\"defaultInterval\": \"00:00:00.5\"", "defaultInterval", "shorter than minimumInterval", false)]
    [InlineData("\"datasheet\":", "\"datasheeet\":", "datasheet", "is missing", true)]
    [InlineData("\"datasheet\":", "\"datasheeet\":", "datasheeet", "is not a known key", true)]
    public void Read_BrokenProfile_NamesFileKeyAndExpectation(string original, string broken, string key, string expectation, bool schemaRejects)
    {
        var path = Path.Combine(RepositoryFiles.DevicesDirectory, "bme280", "profile.json");
        var text = File.ReadAllText(path);
        Assert.Contains(original, text, StringComparison.Ordinal);
        var json = Encoding.UTF8.GetBytes(ReplaceFirst(text, original, broken));

        var exception = Assert.Throws<DeviceProfileException>(() => DeviceProfileReader.Read("devices/bme280/profile.json", json, "bme280"));

        var error = Assert.Single(exception.Errors, e => e.Key == key);
        Assert.Equal("devices/bme280/profile.json", error.File);
        Assert.Contains(expectation, error.Message, StringComparison.Ordinal);
        Assert.Contains($"devices/bme280/profile.json: '{key}'", exception.Message, StringComparison.Ordinal);
        // Cross-field rules (max > min, default ≥ minimum interval) are beyond JSON Schema; the reader has them.
        Assert.Equal(!schemaRejects, ProfileSchema.Evaluate(JsonNode.Parse(json)).IsValid);
    }

    [Fact]
    public void Read_NotJson_NamesFile()
    {
        var exception = Assert.Throws<DeviceProfileException>(() => DeviceProfileReader.Read("x/profile.json", "{ \"model\": "u8));

        var error = Assert.Single(exception.Errors);
        Assert.Equal(("x/profile.json", "$"), (error.File, error.Key));
        Assert.StartsWith("is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_I2cSectionOnGpioDevice_IsRejected()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.DevicesDirectory, "dht22", "profile.json"))
            .Replace("\"bus\": \"gpio\",", "\"bus\": \"gpio\", \"i2c\": { \"defaultAddress\": \"0x40\" },", StringComparison.Ordinal);

        var exception = Assert.Throws<DeviceProfileException>(() => DeviceProfileReader.Read("dht22/profile.json", Encoding.UTF8.GetBytes(text)));

        Assert.Contains(exception.Errors, e => e.Key == "i2c" && e.Message.Contains("remove it", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_OverrideDirectory_AddsAndReplacesModels_AndReportsBrokenFiles()
    {
        var directory = Directory.CreateTempSubdirectory("floxide-profiles-");
        try
        {
            var bme = File.ReadAllText(Path.Combine(RepositoryFiles.DevicesDirectory, "bme280", "profile.json"));
            Directory.CreateDirectory(Path.Combine(directory.FullName, "bme280"));
            File.WriteAllText(Path.Combine(directory.FullName, "bme280", "profile.json"), bme.Replace("\"00:00:10\"", "\"00:01:00\"", StringComparison.Ordinal));
            Directory.CreateDirectory(Path.Combine(directory.FullName, "bme280-outdoor"));
            File.WriteAllText(Path.Combine(directory.FullName, "bme280-outdoor", "profile.json"), bme.Replace("\"model\": \"bme280\"", "\"model\": \"bme280-outdoor\"", StringComparison.Ordinal));

            var catalog = DeviceCatalog.Load(directory.FullName);

            Assert.Equal(TimeSpan.FromMinutes(1), catalog.Get("bme280").DefaultInterval);
            Assert.Equal(DeviceDrivers.Bme280, catalog.Get("bme280-outdoor").Driver);
            Assert.Equal(SupportedModels.Length + 1, catalog.All.Count);

            Directory.CreateDirectory(Path.Combine(directory.FullName, "broken"));
            var brokenFile = Path.Combine(directory.FullName, "broken", "profile.json");
            File.WriteAllText(brokenFile, "{ \"model\": \"broken\" }");
            var exception = Assert.Throws<DeviceProfileException>(() => DeviceCatalog.Load(directory.FullName));
            Assert.All(exception.Errors, e => Assert.Equal(brokenFile, e.File));
            Assert.Contains(exception.Errors, e => e.Key == "driver" && e.Message.StartsWith("is missing", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    internal static string SchemaPath(string name) => Path.Combine(RepositoryFiles.DevicesDirectory, "schema", name);

    internal static string Describe(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")));

    private static JsonSchema ProfileSchema { get; } = JsonSchema.FromFile(SchemaPath("profile.schema.json"));

    private static string ReplaceFirst(string text, string original, string replacement)
    {
        var index = text.IndexOf(original, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + original.Length));
    }
}
