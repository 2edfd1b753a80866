using System.Collections;
using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Gateway.Tests.Support;

namespace Floxide.Edge.Gateway.Tests.Configuration;

public sealed class ConfigurationValidationTests
{
    private static readonly IDictionary NoEnvironment = new Dictionary<string, string>();

    [Fact]
    public void Validate_EmptyFile_IsValid()
    {
        using var config = new TempConfig("{}");

        Assert.Empty(Problems(config.Path));
    }

    [Fact]
    public void Validate_ManyMistakes_NamesEveryOneWithKeyValueAndFix()
    {
        using var config = new TempConfig("""
            {
              "Floxide": {
                "Metrics": { "Port": 70000, "BindAdress": "0.0.0.0" },
                "Host": { "ShutdownTimeout": "00:10:00", "ProcessingBudget": "soon" },
                "EmbeddedBroker": { "FallbackToFreePort": "maybe" },
                "Alerts": { "StaleFactor": 0.5 },
                "Outbox": { "MaxAge": "00:00:30" },
                "Sensors": { "Devices": [ { "Id": "attic", "Model": "bme208", "Address": "0x76" } ] },
                "Mqqt": { "Host": "broker" }
              }
            }
            """);

        var problems = Problems(config.Path).Select(problem => problem.ToString()).ToList();

        Assert.Contains("Floxide:Metrics:Port = '70000': must be from 1 to 65535. Fix: set a value from 1 to 65535.", problems);
        Assert.Contains(problems, p => p.StartsWith("Floxide:Metrics:BindAdress = '0.0.0.0': is not a setting here. Fix: did you mean 'BindAddress'?", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Floxide:Host:ProcessingBudget = 'soon': is not a duration. Fix: write a duration as hh:mm:ss", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Floxide:Host:ShutdownTimeout = '00:10:00': must be from 00:00:01 to 00:05:00. Fix:", StringComparison.Ordinal));
        Assert.Contains("Floxide:EmbeddedBroker:FallbackToFreePort = 'maybe': is not true or false. Fix: write true or false.", problems);
        Assert.Equal("Floxide:Outbox:MaxAge = '00:00:30': must be from 00:01:00 to 365.00:00:00. Fix: set a duration from 00:01:00 to 365.00:00:00.", Assert.Single(problems, p => p.StartsWith("Floxide:Outbox", StringComparison.Ordinal)));
        Assert.Contains(problems, p => p.StartsWith("Floxide:Alerts:StaleFactor: is 0.5; set 1.5 to 100", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Floxide:Sensors:Devices:0:Model: is \"bme208\", which is not a device profile", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Floxide:Mqqt: is not a section this gateway knows; the sections are Alerts, Classification, ", StringComparison.Ordinal)
            && p.Contains(", Mqtt, ", StringComparison.Ordinal)
            && p.EndsWith(". Fix: did you mean 'Mqtt'? Otherwise remove it.", StringComparison.Ordinal));
        Assert.Equal(9, problems.Count);
    }

    [Fact]
    public void Validate_InvalidJson_NamesTheFileAndThePosition()
    {
        using var config = new TempConfig("""{ "Floxide": { "Metrics": { "Port": 9464, } """);

        var problem = Assert.Single(Problems(config.Path));

        Assert.Equal(config.Path, problem.Key);
        Assert.Contains("is not valid JSON", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("LineNumber", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ExplicitFileMissing_SaysSo()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"floxide-missing-{Guid.NewGuid():N}", "gateway.json");

        var problem = Assert.Single(Problems(missing));

        Assert.Equal(missing, problem.Key);
        Assert.Contains("does not exist", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EnvironmentOverridesFile_ChecksTheOverride()
    {
        using var config = new TempConfig("""{ "Floxide": { "Metrics": { "Port": 9100 } } }""");

        var problems = Problems(config.Path, new Dictionary<string, string> { ["FLOXIDE_METRICS__PORT"] = "0" });

        Assert.Equal("Floxide:Metrics:Port = '0': must be from 1 to 65535. Fix: set a value from 1 to 65535.", Assert.Single(problems).ToString());
    }

    [Fact]
    public void Validate_CredentialFile_IsReadAsASetting()
    {
        using var config = new TempConfig("{}");
        var credentials = Directory.CreateTempSubdirectory("floxide-credentials-");
        try
        {
            File.WriteAllText(Path.Combine(credentials.FullName, "Floxide__Metrics__Port"), "99999\n");

            var problems = Problems(config.Path, new Dictionary<string, string> { ["CREDENTIALS_DIRECTORY"] = credentials.FullName });

            Assert.Equal("Floxide:Metrics:Port", Assert.Single(problems).Key);
        }
        finally
        {
            credentials.Delete(recursive: true);
        }
    }

    [Fact]
    public void ConfigurationProblem_SecretKey_HidesTheValue()
    {
        var problem = ConfigurationProblem.For("Floxide:Mqtt:Password", "hunter2", "is too short", "use a longer one");

        Assert.Equal("Floxide:Mqtt:Password = '(hidden)': is too short. Fix: use a longer one.", problem.ToString());
    }

    private static IReadOnlyList<ConfigurationProblem> Problems(string path, IDictionary? environment = null)
    {
        using var gateway = GatewayHost.Build(GatewayConfigurationSources.Create(path, environment ?? NoEnvironment, watchFile: false), ConsoleMode.Plain);
        return gateway.Problems;
    }
}
