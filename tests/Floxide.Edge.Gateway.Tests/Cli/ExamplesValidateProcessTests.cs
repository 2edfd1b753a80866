using Floxide.Edge.Gateway.Tests.Support;

namespace Floxide.Edge.Gateway.Tests.Cli;

/// <summary><c>floxide-edge validate --config</c> on every configuration in devices/examples, as a user runs it.</summary>
public sealed class ExamplesValidateProcessTests
{
    public static TheoryData<string> Examples() => [.. ExampleNames()];

    [Fact]
    public void Examples_AreThere()
    {
        Assert.Contains("simulated.json", ExampleNames());
        Assert.True(ExampleNames().Count >= 4);
    }

    private static List<string> ExampleNames() =>
        [.. Directory.GetFiles(RepositoryRoot.File("devices", "examples"), "*.json").Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Validate_Example_ExitsZero(string example)
    {
        using var validate = GatewayProcess.Start(["validate", "--config", RepositoryRoot.File("devices", "examples", example)]);

        var exitCode = await validate.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, $"exit code {exitCode}\nstdout:\n{validate.Output}\nstderr:\n{validate.Error}");
        Assert.Contains("The configuration is valid", validate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadSensorModel_Exits78NamingTheKey()
    {
        using var config = new TempConfig("""{ "Floxide": { "Sensors": { "Devices": [ { "Id": "attic", "Model": "bme208", "Address": "0x76" } ] } } }""");
        using var validate = GatewayProcess.Start(["validate", "--config", config.Path]);

        Assert.Equal(78, await validate.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Floxide:Sensors:Devices:0:Model", validate.Error, StringComparison.Ordinal);
    }
}
