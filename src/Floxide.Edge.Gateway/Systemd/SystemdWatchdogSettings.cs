using System.Globalization;

namespace Floxide.Edge.Gateway.Systemd;

/// <summary>
/// The watchdog systemd asks of this process, read as <c>sd_watchdog_enabled(3)</c> does: <c>WATCHDOG_USEC</c> gives
/// the period, and <c>WATCHDOG_PID</c>, when set, names the one process that must send the pings.
/// </summary>
/// <param name="Period">The watchdog period (<c>WatchdogSec=</c>), or <see langword="null"/> when there is no watchdog for this process.</param>
public sealed record SystemdWatchdogSettings(TimeSpan? Period)
{
    /// <summary>The environment variable holding the period in microseconds.</summary>
    public const string UsecVariable = "WATCHDOG_USEC";

    /// <summary>The environment variable naming the process the watchdog is meant for.</summary>
    public const string PidVariable = "WATCHDOG_PID";

    /// <summary>No watchdog.</summary>
    public static SystemdWatchdogSettings Disabled { get; } = new((TimeSpan?)null);

    /// <summary><see langword="true"/> when this process must send watchdog pings.</summary>
    public bool IsEnabled => Period is not null;

    /// <summary>How often to ping: half the period, as <c>sd_watchdog_enabled(3)</c> recommends.</summary>
    public TimeSpan PingInterval => Period is { } period ? period / 2 : Timeout.InfiniteTimeSpan;

    /// <summary>Reads the settings from the variables' values.</summary>
    /// <param name="watchdogUsec">The value of <c>WATCHDOG_USEC</c>.</param>
    /// <param name="watchdogPid">The value of <c>WATCHDOG_PID</c>.</param>
    /// <param name="processId">This process's id.</param>
    /// <returns>The settings; disabled when the period is missing, not a positive integer, or meant for another process.</returns>
    public static SystemdWatchdogSettings Parse(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0)
        {
            return Disabled;
        }

        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId))
        {
            return Disabled;
        }

        // TimeSpan ticks are 100 ns; systemd's maximum (USEC_INFINITY - 1) still fits.
        return new SystemdWatchdogSettings(TimeSpan.FromTicks((long)Math.Min(usec, long.MaxValue / 10) * 10));
    }

    /// <summary>Reads the settings from this process's environment.</summary>
    /// <returns>The settings.</returns>
    public static SystemdWatchdogSettings FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable(UsecVariable), Environment.GetEnvironmentVariable(PidVariable), Environment.ProcessId);
}
