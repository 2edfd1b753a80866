using System.Collections;

namespace Floxide.Edge.Gateway.Hosting;

/// <summary>
/// Where the gateway's state files live: <see cref="GatewayHostOptions.StateDirectory"/>, else systemd's
/// <c>$STATE_DIRECTORY</c> (the unit's <c>StateDirectory=</c>), else the XDG per-user state folder.
/// </summary>
public static class GatewayStateDirectory
{
    /// <summary>The folder created under a per-user state home.</summary>
    public const string FolderName = "floxide-edge";

    /// <summary>Finds the state directory; does not create it.</summary>
    /// <param name="configured"><see cref="GatewayHostOptions.StateDirectory"/>.</param>
    /// <param name="environment">The environment variables; the process's own when <see langword="null"/>.</param>
    /// <returns>A full path.</returns>
    public static string Resolve(string? configured, IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        // systemd sets one path per StateDirectory= entry, separated by ':'; the unit has one.
        if (Variable(environment, "STATE_DIRECTORY") is { } systemd)
        {
            return Path.GetFullPath(systemd.Split(':')[0]);
        }

        if (Variable(environment, "XDG_STATE_HOME") is { } stateHome && Path.IsPathRooted(stateHome))
        {
            return Path.Combine(stateHome, FolderName);
        }

        return Variable(environment, "HOME") is { } home
            ? Path.Combine(home, ".local", "state", FolderName)
            : Path.GetFullPath(FolderName + "-state");
    }

    /// <summary>Resolves a state file's configured path: absolute paths stay, relative ones go under <paramref name="directory"/>.</summary>
    /// <param name="directory">The state directory.</param>
    /// <param name="path">The configured path.</param>
    /// <returns>A full path.</returns>
    public static string File(string directory, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(directory, path));
    }

    private static string? Variable(IDictionary environment, string name) =>
        environment[name] is string { Length: > 0 } value ? value : null;
}
