using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Outbox;
using Floxide.Edge.Reporting;
using Floxide.Edge.Sensors;
using Floxide.Edge.Simulation;
using Floxide.Edge.Gateway.Broker;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Gateway.Metrics;
using Floxide.Edge.Gateway.Tests.Support;
using Floxide.Edge.Workflow;
using Json.Schema;

namespace Floxide.Edge.Gateway.Tests.Configuration;

/// <summary>
/// devices/schema/gateway.schema.json against the options classes it describes and the files that use it: editors
/// complete what the gateway binds, and flag what the gateway would reject.
/// </summary>
public sealed class GatewaySchemaTests
{
    private static readonly string SchemaPath = RepositoryRoot.File("devices", "schema", "gateway.schema.json");
    private static readonly JsonNode SchemaDocument = JsonNode.Parse(File.ReadAllText(SchemaPath))!;
    private static readonly JsonSchema Schema = JsonSchema.FromFile(SchemaPath);

    // Every section the gateway binds: Floxide.Edge's features, then the host's own.
    public static TheoryData<string, Type> Sections() => new()
    {
        { SensorsOptions.SectionName, typeof(SensorsOptions) },
        { SimulationOptions.SectionName, typeof(SimulationOptions) },
        { MqttOptions.SectionName, typeof(MqttOptions) },
        { OutboxOptions.SectionName, typeof(OutboxOptions) },
        { ClassificationOptions.SectionName, typeof(ClassificationOptions) },
        { AlertOptions.SectionName, typeof(AlertOptions) },
        { ReportingOptions.SectionName, typeof(ReportingOptions) },
        { GatewayWorkflowOptions.SectionName, typeof(GatewayWorkflowOptions) },
        { GatewayHostOptions.Section, typeof(GatewayHostOptions) },
        { MetricsOptions.Section, typeof(MetricsOptions) },
        { EmbeddedBrokerOptions.Section, typeof(EmbeddedBrokerOptions) },
        { DebugOptions.Section, typeof(DebugOptions) },
    };

    [Fact]
    public void Schema_FloxideSections_AreEverySectionTheGatewayBinds()
    {
        var described = Properties(Resolve(SchemaDocument["properties"]!["Floxide"]!)).Order(StringComparer.Ordinal);
        var expected = Sections().Select(row => ((string)row[0]).Split(':')[1]).Order(StringComparer.Ordinal);

        Assert.Equal(expected, described);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Schema_Section_DescribesExactlyTheKeysItsOptionsClassBinds(string section, Type options)
    {
        var node = Resolve(SchemaDocument["properties"]!["Floxide"]!["properties"]![section.Split(':')[1]]!);
        var problems = new List<string>();

        Compare(options, node, section, problems);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void AppSettings_OfTheGateway_ValidatesAgainstSchema()
    {
        var file = RepositoryRoot.File("src", "Floxide.Edge.Gateway", "appsettings.json");

        var result = Schema.Evaluate(JsonNode.Parse(File.ReadAllText(file)), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, Describe(result));
    }

    [Theory]
    [InlineData("""{ "Floxide": { "Mqqt": {} } }""", "/Floxide/Mqqt")]
    [InlineData("""{ "Floxide": { "Mqtt": { "Hots": "broker" } } }""", "/Floxide/Mqtt/Hots")]
    [InlineData("""{ "Floxide": { "Mqtt": { "Port": 70000 } } }""", "/Floxide/Mqtt/Port")]
    [InlineData("""{ "Floxide": { "Mqtt": { "Ingest": { "Subscriptions": [ { "BareNumberQuantity": "Pressure" } ] } } } }""", "/Floxide/Mqtt/Ingest/Subscriptions/0")]
    [InlineData("""{ "Floxide": { "Outbox": { "Durability": "Sometimes" } } }""", "/Floxide/Outbox/Durability")]
    [InlineData("""{ "Floxide": { "Classification": { "Defaults": { "Thresholds": { "temprature": { "HighWarning": 30 } } } } } }""", "/Floxide/Classification/Defaults/Thresholds/temprature")]
    [InlineData("""{ "Floxide": { "Classification": { "Sensors": { "attic": { "Thresholds": { "humidity": { "High": 80 } } } } } } }""", "/Floxide/Classification/Sensors/attic/Thresholds/humidity/High")]
    [InlineData("""{ "Floxide": { "Alerts": { "RenotifyInterval": "15m" } } }""", "/Floxide/Alerts/RenotifyInterval")]
    [InlineData("""{ "Floxide": { "Alerts": { "GpioOutputs": [ { "Name": "red-led", "Severity": "Critical" } ] } } }""", "/Floxide/Alerts/GpioOutputs/0")]
    [InlineData("""{ "Floxide": { "Reporting": { "Smoothing": { "Method": "Median" } } } }""", "/Floxide/Reporting/Smoothing/Method")]
    [InlineData("""{ "Floxide": { "Workflow": { "ReadingCapacity": 0 } } }""", "/Floxide/Workflow/ReadingCapacity")]
    [InlineData("""{ "Floxide": { "Host": { "ShutdownTimeout": 20 } } }""", "/Floxide/Host/ShutdownTimeout")]
    [InlineData("""{ "Floxide": { "Metrics": { "Endpoint": "/metrics" } } }""", "/Floxide/Metrics/Endpoint")]
    [InlineData("""{ "Floxide": { "EmbeddedBroker": { "Enabled": "yes" } } }""", "/Floxide/EmbeddedBroker/Enabled")]
    [InlineData("""{ "Floxide": { "Debug": { "HangAfterEvents": -1 } } }""", "/Floxide/Debug/HangAfterEvents")]
    public void Schema_MistakeInAnySection_IsFlaggedWhereItIs(string json, string location)
    {
        var result = Schema.Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.False(result.IsValid);
        var flagged = (result.Details ?? []).Where(d => d.Errors is not null).Select(d => d.InstanceLocation.ToString()).ToList();
        Assert.True(flagged.Contains(location), $"flagged {string.Join(", ", flagged)}");
    }

    private static string Describe(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")));

    // Walks an options class and its schema together: every key the binder fills must be described, and the schema
    // must describe no key the class lacks (the gateway rejects unknown keys); nested options are compared in turn.
    private static void Compare(Type options, JsonNode schema, string key, List<string> problems)
    {
        if (schema["additionalProperties"] is not JsonValue additional || additional.GetValue<bool>())
        {
            problems.Add($"{key}: the schema allows unknown keys; set \"additionalProperties\": false");
        }

        var bound = BoundProperties(options).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var described = Properties(schema).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(bound.Keys.Where(name => !described.Contains(name)).Select(name => $"{key}:{name} is bound by {options.Name} but not in the schema"));
        problems.AddRange(described.Where(name => !bound.ContainsKey(name)).Select(name => $"{key}:{name} is in the schema but {options.Name} has no such property"));

        foreach (var property in bound.Values.Where(p => described.Contains(p.Name)))
        {
            var child = Resolve(schema["properties"]![property.Name]!);
            var childKey = $"{key}:{property.Name}";
            if (IsOptionsClass(property.PropertyType))
            {
                Compare(property.PropertyType, child, childKey, problems);
            }
            else if (ElementType(property.PropertyType) is { } element && IsOptionsClass(element))
            {
                Compare(element, Resolve(child["items"] ?? throw new Xunit.Sdk.XunitException($"{childKey} has no \"items\"")), $"{childKey}:0", problems);
            }
            else if (DictionaryValueType(property.PropertyType) is { } value && IsOptionsClass(value))
            {
                var values = child["additionalProperties"] as JsonObject ?? throw new Xunit.Sdk.XunitException($"{childKey} has no \"additionalProperties\" schema");
                Compare(value, Resolve(values), $"{childKey}:<name>", problems);
            }
        }
    }

    // What ConfigurationBinder fills: settable instance properties, and get-only collections it adds to.
    private static IEnumerable<PropertyInfo> BoundProperties(Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .Where(p => p.SetMethod is { IsPublic: true } || IsMutableCollection(p.PropertyType));

    private static bool IsMutableCollection(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ICollection<>)
        || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollection<>));

    private static bool IsOptionsClass(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Floxide.", StringComparison.Ordinal) == true;

    private static Type? ElementType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable).IsAssignableFrom(type) ? element : null;

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [_, var value] && typeof(IDictionary).IsAssignableFrom(type) ? value : null;

    private static IEnumerable<string> Properties(JsonNode schema) =>
        (schema["properties"] as JsonObject)?.Select(p => p.Key) ?? [];

    private static JsonNode Resolve(JsonNode schema)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            const string Prefix = "#/$defs/";
            Assert.StartsWith(Prefix, reference, StringComparison.Ordinal);
            schema = SchemaDocument["$defs"]![reference[Prefix.Length..]]!;
        }

        return schema;
    }
}
