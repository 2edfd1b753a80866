using MQTTnet;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// Supplies the user name and password at every connect attempt, reading the password from its file or systemd
/// credential each time (so a rotated password is picked up) and never keeping or logging it.
/// </summary>
internal sealed class MqttPasswordSource(MqttOptions options) : IMqttClientCredentialsProvider
{
    /// <summary>The environment variable systemd sets to the directory of the service's credentials.</summary>
    public const string CredentialsDirectoryVariable = "CREDENTIALS_DIRECTORY";

    public string GetUserName(MqttClientOptions clientOptions) => options.Username ?? "";

    public byte[]? GetPassword(MqttClientOptions clientOptions)
    {
        var path = PasswordPath(options);
        if (path is null)
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        var length = bytes.Length;
        while (length > 0 && bytes[length - 1] is (byte)'\n' or (byte)'\r')
        {
            length--;
        }

        return length == bytes.Length ? bytes : bytes[..length];
    }

    /// <summary>The file the password is read from, or null when none is configured.</summary>
    /// <param name="options">The MQTT options.</param>
    /// <returns>The path.</returns>
    /// <exception cref="InvalidOperationException">A systemd credential is configured but <c>$CREDENTIALS_DIRECTORY</c> is not set.</exception>
    public static string? PasswordPath(MqttOptions options)
    {
        if (!string.IsNullOrEmpty(options.PasswordFile))
        {
            return options.PasswordFile;
        }

        if (string.IsNullOrEmpty(options.PasswordCredential))
        {
            return null;
        }

        var directory = Environment.GetEnvironmentVariable(CredentialsDirectoryVariable);
        if (string.IsNullOrEmpty(directory))
        {
            throw new InvalidOperationException(
                $"Floxide:Mqtt:PasswordCredential is '{options.PasswordCredential}' but ${CredentialsDirectoryVariable} is not set; " +
                $"run under systemd with LoadCredential={options.PasswordCredential}:<file>, or use Floxide:Mqtt:PasswordFile instead.");
        }

        return Path.Combine(directory, options.PasswordCredential);
    }

    /// <summary>Describes where the password comes from, for logs; never the password itself.</summary>
    /// <param name="options">The MQTT options.</param>
    /// <returns>A description.</returns>
    public static string Describe(MqttOptions options) =>
        options.Username is null ? "anonymous"
        : !string.IsNullOrEmpty(options.PasswordFile) ? $"user '{options.Username}', password from file {options.PasswordFile}"
        : !string.IsNullOrEmpty(options.PasswordCredential) ? $"user '{options.Username}', password from systemd credential '{options.PasswordCredential}'"
        : $"user '{options.Username}', no password";
}
