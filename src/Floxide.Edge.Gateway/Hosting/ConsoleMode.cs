namespace Floxide.Edge.Gateway.Hosting;

/// <summary>How <c>run</c> talks to its console.</summary>
public enum ConsoleMode
{
    /// <summary>One log line per event, for pipes and files.</summary>
    Plain,

    /// <summary>Log lines with syslog priority prefixes (<c>&lt;6&gt;</c>) that journald turns into priorities.</summary>
    Journald,

    /// <summary>A live table of sensors, alerts and recent log lines, on an interactive terminal.</summary>
    Dashboard,
}

/// <summary>Picks the <see cref="ConsoleMode"/>.</summary>
public static class ConsoleModeDetector
{
    /// <summary>Journald when systemd runs us (or our output goes to the journal), the dashboard on a terminal, else plain.</summary>
    /// <param name="forcePlain">The <c>--plain</c> option.</param>
    /// <returns>The mode.</returns>
    public static ConsoleMode Detect(bool forcePlain)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"))
            || Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService())
        {
            return ConsoleMode.Journald;
        }

        return forcePlain || Console.IsOutputRedirected || Console.IsInputRedirected
            || string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal)
            ? ConsoleMode.Plain
            : ConsoleMode.Dashboard;
    }
}
