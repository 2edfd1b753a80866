using System.ComponentModel.DataAnnotations;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Outbox;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class MqttOptionsValidatorTests
{
    private static string[] Failures(MqttOptions options) =>
        new MqttOptionsValidator().Validate(null, options).Failures?.ToArray() ?? [];

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.Empty(Failures(new MqttOptions()));
        var defaults = new MqttOptions();
        Assert.True(Validator.TryValidateObject(defaults, new ValidationContext(defaults), null, validateAllProperties: true));
    }

    [Fact]
    public void Validate_BadTemplate_NamesTheKeyTheValueAndWhy()
    {
        var options = new MqttOptions { Ingest = { Subscriptions = { new MqttSubscriptionOptions { Topic = "fleet/+/reading" } } } };
        var failure = Assert.Single(Failures(options));
        Assert.Contains("Floxide:Mqtt:Ingest:Subscriptions:0:Topic 'fleet/+/reading'", failure, StringComparison.Ordinal);
        Assert.Contains("no '{sensorId}'", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PasswordFile and Floxide:Mqtt:PasswordCredential are both set")]
    [InlineData("Floxide:Mqtt:Username is not")]
    public void Validate_ConflictingCredentials_SaysWhatToFix(string expected)
    {
        var options = new MqttOptions { PasswordFile = "/etc/hostname", PasswordCredential = "mqtt" };
        Assert.Contains(Failures(options), f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TlsFilesWithoutTls_AndMissingFiles_AreReported()
    {
        Assert.Contains(Failures(new MqttOptions { Tls = { CaFile = "/nope/ca.crt" } }), f => f.Contains("Floxide:Mqtt:Tls:Enabled is false", StringComparison.Ordinal));
        var enabled = Failures(new MqttOptions { Tls = { Enabled = true, CaFile = "/nope/ca.crt", ClientCertificateFile = "/nope/c.crt" } });
        Assert.Contains(enabled, f => f.Contains("Floxide:Mqtt:Tls:CaFile '/nope/ca.crt' does not exist", StringComparison.Ordinal));
        Assert.Contains(enabled, f => f.Contains("go together", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("floxide/#")]
    [InlineData("/floxide")]
    [InlineData("a//b")]
    public void Validate_WildcardOrEmptyLevelPrefix_IsRejected(string prefix) =>
        Assert.Contains(Failures(new MqttOptions { TopicPrefix = prefix }), f => f.Contains($"Floxide:Mqtt:TopicPrefix '{prefix}'", StringComparison.Ordinal));

    [Fact]
    public void Validate_SharedGroupWithV311_IsRejected() =>
        Assert.Contains(Failures(new MqttOptions { Protocol = MqttProtocol.V311, Ingest = { SharedGroup = "site" } }), f => f.Contains("SharedGroup", StringComparison.Ordinal));

    [Fact]
    public void Validate_GatewayIdWithSlash_FailsDataAnnotations()
    {
        var options = new MqttOptions { GatewayId = "a/b" };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains("Floxide:Mqtt:GatewayId", StringComparison.Ordinal));
    }

    [Fact]
    public void OutboxValidate_MissingDirectory_SaysStateDirectory()
    {
        var result = new OutboxOptionsValidator().Validate(null, new OutboxOptions { Path = "/nonexistent-dir-floxide/outbox.db" });
        Assert.Contains("StateDirectory=", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
