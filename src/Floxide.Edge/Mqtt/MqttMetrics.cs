using System.Diagnostics.Metrics;
using Floxide.Edge.Telemetry;

namespace Floxide.Edge.Mqtt;

/// <summary>The MQTT feature's instruments, on the gateway's meter.</summary>
internal sealed class MqttMetrics
{
    public const string IngestAccepted = "floxide.mqtt.ingest.accepted";
    public const string IngestRejected = "floxide.mqtt.ingest.rejected";
    public const string DeadLettersDropped = "floxide.mqtt.ingest.dead_letters_dropped";
    public const string Published = "floxide.mqtt.published";
    public const string PublishFailures = "floxide.mqtt.publish.failures";

    private readonly Counter<long> accepted;
    private readonly Counter<long> rejected;
    private readonly Counter<long> deadLettersDropped;
    private readonly Counter<long> published;
    private readonly Counter<long> publishFailures;

    public MqttMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        accepted = meter.CreateCounter<long>(IngestAccepted, "{message}", "Fleet messages turned into readings.");
        rejected = meter.CreateCounter<long>(IngestRejected, "{message}", "Fleet messages rejected, by cause.");
        deadLettersDropped = meter.CreateCounter<long>(DeadLettersDropped, "{message}", "Rejected messages not forwarded to the dead-letter topic because too many forwards were pending.");
        published = meter.CreateCounter<long>(Published, "{message}", "Messages the broker acknowledged, by kind (reading, alert) and path (live, outbox).");
        publishFailures = meter.CreateCounter<long>(PublishFailures, "{message}", "QoS 1 publishes that failed (connection lost, PUBACK timeout, refused) and went to the outbox.");
    }

    public void Accepted()
    {
        if (accepted.Enabled)
        {
            accepted.Add(1);
        }
    }

    public void Rejected(IngestRejectionCause cause) => rejected.Add(1, new KeyValuePair<string, object?>(FloxideTelemetry.Tags.Cause, cause.Name()));

    public void DeadLetterDropped() => deadLettersDropped.Add(1);

    public void PublishSucceeded(string kind, string path)
    {
        if (published.Enabled)
        {
            published.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("path", path));
        }
    }

    public void PublishFailed(string kind) => publishFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
