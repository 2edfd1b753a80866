namespace Floxide.Edge.Gateway.Cli;

/// <summary>The exit codes of <c>floxide-edge</c>, from BSD's sysexits.h, so systemd units and scripts can tell failures apart.</summary>
public static class ExitCodes
{
    /// <summary>Success; also a clean stop on SIGTERM.</summary>
    public const int Success = 0;

    /// <summary>EX_USAGE: the command line is wrong.</summary>
    public const int Usage = 64;

    /// <summary>EX_UNAVAILABLE: the command needs something this machine or build does not have (an I²C bus, a feature).</summary>
    public const int Unavailable = 69;

    /// <summary>EX_SOFTWARE: the gateway failed while running (a part could not start, the workflow loop faulted).</summary>
    public const int Software = 70;

    /// <summary>EX_CONFIG: the configuration is invalid; every problem was printed. The unit does not restart on it.</summary>
    public const int Configuration = 78;
}
