using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// Counts rejected fleet messages per cause (always) and logs each cause at most once per interval, with the number
/// suppressed since, so a flood of bad payloads neither fills the journal nor slows the gateway.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed partial class IngestRejectionReporter(ILogger logger, TimeProvider timeProvider, TimeSpan logInterval, MqttMetrics metrics)
{
    private readonly long[] counts = new long[IngestRejectionCauses.All.Count];
    private readonly long[] suppressed = new long[IngestRejectionCauses.All.Count];
    private readonly long[] nextLogTimestamp = new long[IngestRejectionCauses.All.Count];
    private readonly bool[] loggedOnce = new bool[IngestRejectionCauses.All.Count];
    private readonly object gate = new();

    /// <summary>Rejections of <paramref name="cause"/> since start.</summary>
    public long Count(IngestRejectionCause cause) => Interlocked.Read(ref counts[(int)cause]);

    /// <summary>Rejections of every cause since start.</summary>
    public long Total => counts.Sum();

    public void Report(IngestRejectionCause cause, string topic, int payloadBytes)
    {
        var index = (int)cause;
        Interlocked.Increment(ref counts[index]);
        metrics.Rejected(cause);
        long suppressedSince;
        lock (gate)
        {
            var now = timeProvider.GetTimestamp();
            if (loggedOnce[index] && now < nextLogTimestamp[index])
            {
                suppressed[index]++;
                return;
            }

            loggedOnce[index] = true;
            nextLogTimestamp[index] = now + (long)(logInterval.TotalSeconds * timeProvider.TimestampFrequency);
            suppressedSince = suppressed[index];
            suppressed[index] = 0;
        }

        LogRejected(logger, cause.Name(), topic, payloadBytes, suppressedSince, logInterval.TotalSeconds);
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning,
        Message = "MQTT ingest: rejected a message on '{Topic}' ({PayloadBytes} bytes): {Cause}; {Suppressed} more of this cause were rejected without a log line since the last one (at most one line per {IntervalSeconds} s; all are counted in floxide.mqtt.ingest.rejected)")]
    private static partial void LogRejected(ILogger logger, string cause, string topic, int payloadBytes, long suppressed, double intervalSeconds);
}
