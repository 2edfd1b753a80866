namespace Floxide.Edge.Sensors;

/// <summary>
/// Where a producer's per-sensor sequence numbers start so that they keep increasing across restarts without being
/// stored: the start time in Unix milliseconds times <see cref="PerMillisecond"/>, each reading then counting up by
/// one. Downstream de-duplication on (sensor, sequence) therefore never drops a reading made after a restart.
/// </summary>
/// <remarks>
/// A run stays below the next run's start unless it made more than <see cref="PerMillisecond"/> readings of one
/// sensor per millisecond of its uptime (sensors are read at most every few hundred milliseconds). It needs a wall
/// clock that does not go back between runs: the systemd unit starts the gateway after <c>time-sync.target</c>, so a
/// Pi without a real-time clock has its time from NTP first.
/// </remarks>
public static class ReadingSequence
{
    /// <summary>Sequence numbers reserved per millisecond of the start time.</summary>
    public const long PerMillisecond = 1_000;

    /// <summary>The number before a run's first sequence number: its first reading is this plus one.</summary>
    /// <param name="start">When the run (or the producer) started, on the wall clock.</param>
    /// <returns>The start time in Unix milliseconds times <see cref="PerMillisecond"/>; 0 for a time before 1970.</returns>
    public static long StartingAt(DateTimeOffset start) => Math.Max(0, start.ToUnixTimeMilliseconds()) * PerMillisecond;
}
