using System.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Floxide.Edge.Gateway.Configuration;

/// <summary>
/// The configuration as written, before validation, in layers where later wins: the built-in defaults
/// (<c>appsettings.json</c>, embedded), the gateway's file (<c>/etc/floxide-edge/gateway.json</c> or <c>--config PATH</c>),
/// systemd credentials (<c>$CREDENTIALS_DIRECTORY/Floxide__Section__Key</c>), then <c>FLOXIDE_SECTION__KEY</c>
/// environment variables. The file is watched; <see cref="Reload"/> re-reads everything (SIGHUP).
/// </summary>
public sealed class GatewayConfigurationSources
{
    /// <summary>Where the gateway looks for its file when <c>--config</c> is not given.</summary>
    public const string DefaultFilePath = "/etc/floxide-edge/gateway.json";

    /// <summary>The prefix of the environment variables that override settings.</summary>
    public const string EnvironmentPrefix = "FLOXIDE_";

    private readonly TrackedJsonConfigurationSource? fileSource;
    private readonly bool fileRequired;

    private GatewayConfigurationSources(IConfigurationRoot root, string filePath, bool fileRequired, TrackedJsonConfigurationSource? fileSource)
    {
        Root = root;
        FilePath = filePath;
        this.fileRequired = fileRequired;
        this.fileSource = fileSource;
    }

    /// <summary>The layered configuration as written; may be invalid.</summary>
    public IConfigurationRoot Root { get; }

    /// <summary>The gateway's configuration file.</summary>
    public string FilePath { get; }

    /// <summary><see langword="true"/> when the file exists.</summary>
    public bool FileExists => File.Exists(FilePath);

    /// <summary>Builds the layers.</summary>
    /// <param name="configPath">The <c>--config</c> path, or <see langword="null"/> for <see cref="DefaultFilePath"/> (optional).</param>
    /// <param name="environment">The environment variables; the process's own when <see langword="null"/>.</param>
    /// <param name="watchFile">Reload when the file changes.</param>
    /// <returns>The sources.</returns>
    public static GatewayConfigurationSources Create(string? configPath, IDictionary? environment = null, bool watchFile = true)
    {
        environment ??= Environment.GetEnvironmentVariables();
        var filePath = Path.GetFullPath(configPath ?? DefaultFilePath);

        // A default file present at start is as required as an explicit one: deleting it later must not silently
        // reload the built-in defaults.
        var fileRequired = configPath is not null || File.Exists(filePath);
        var builder = new ConfigurationBuilder();
        builder.Add(new BuiltInDefaultsConfigurationSource());

        TrackedJsonConfigurationSource? fileSource = null;
        var directory = Path.GetDirectoryName(filePath)!;
        if (Directory.Exists(directory))
        {
            fileSource = new TrackedJsonConfigurationSource
            {
                FileProvider = new PhysicalFileProvider(directory),
                Path = Path.GetFileName(filePath),
                Optional = true,
                ReloadOnChange = watchFile,
                ReloadDelay = 300,
            };
            fileSource.OnLoadException = context => context.Ignore = true;
            builder.Add(fileSource);
        }

        builder.Add(new CredentialsConfigurationSource(environment["CREDENTIALS_DIRECTORY"] as string));
        builder.Add(new FloxideEnvironmentConfigurationSource(environment));
        return new GatewayConfigurationSources(builder.Build(), filePath, fileRequired, fileSource);
    }

    /// <summary>Problems reading the layers themselves: a missing file that is required, or a file that is not valid JSON.</summary>
    /// <returns>The problems; empty when every layer was read.</returns>
    public IReadOnlyList<ConfigurationProblem> LoadProblems()
    {
        if (fileRequired && !File.Exists(FilePath))
        {
            return [new ConfigurationProblem(FilePath, null, "the configuration file does not exist",
                "create it (see devices/examples/ for complete files) or point --config at an existing file")];
        }

        if (fileSource?.LoadError is { } error)
        {
            var detail = (error.InnerException ?? error).Message;
            return [new ConfigurationProblem(FilePath, null, $"is not valid JSON: {detail}",
                "correct the JSON at the position named (a missing comma or quote, a trailing comma, or a comment outside a string)")];
        }

        return [];
    }

    /// <summary>Re-reads every layer, as on SIGHUP.</summary>
    public void Reload() => Root.Reload();

    /// <summary>Names the layers in use, for the log.</summary>
    /// <returns>For example <c>built-in defaults, /etc/floxide-edge/gateway.json, 2 FLOXIDE_* variables</c>.</returns>
    public string Describe()
    {
        var layers = new List<string> { "built-in defaults" };
        layers.Add(FileExists ? FilePath : $"{FilePath} (absent)");
        foreach (var provider in Root.Providers)
        {
            if (provider is CredentialsConfigurationProvider { Count: > 0 } credentials)
            {
                layers.Add($"{credentials.Count} systemd credential(s)");
            }
            else if (provider is FloxideEnvironmentConfigurationProvider { Count: > 0 } variables)
            {
                layers.Add($"{variables.Count} {EnvironmentPrefix}* variable(s)");
            }
        }

        return string.Join(", ", layers);
    }

}

/// <summary>The embedded <c>appsettings.json</c>: read once, kept across reloads (a stream provider cannot reload).</summary>
internal sealed class BuiltInDefaultsConfigurationSource : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new BuiltInDefaultsConfigurationProvider();

    private sealed class BuiltInDefaultsConfigurationProvider : ConfigurationProvider
    {
        private bool loaded;

        public override void Load()
        {
            if (loaded)
            {
                return;
            }

            using var stream = typeof(GatewayConfigurationSources).Assembly.GetManifestResourceStream("Floxide.Edge.Gateway.appsettings.json")
                ?? throw new InvalidOperationException("The built-in appsettings.json resource is missing from floxide-edge.");
            var parsed = new ConfigurationBuilder().AddJsonStream(stream).Build();
            Data = parsed.AsEnumerable().Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);
            loaded = true;
        }
    }
}

/// <summary>A JSON file source that remembers why its last load failed instead of throwing on a reload thread.</summary>
internal sealed class TrackedJsonConfigurationSource : JsonConfigurationSource
{
    public Exception? LoadError { get; set; }

    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new TrackedJsonConfigurationProvider(this);
    }

    private sealed class TrackedJsonConfigurationProvider(TrackedJsonConfigurationSource source) : JsonConfigurationProvider(source)
    {
        public override void Load(Stream stream)
        {
            try
            {
                base.Load(stream);
                source.LoadError = null;
            }
            catch (Exception exception)
            {
                source.LoadError = exception;
                throw;
            }
        }
    }
}

/// <summary>Maps <c>FLOXIDE_SECTION__KEY=value</c> to <c>Floxide:SECTION:KEY</c>.</summary>
internal sealed class FloxideEnvironmentConfigurationSource(IDictionary environment) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new FloxideEnvironmentConfigurationProvider(environment);
}

internal sealed class FloxideEnvironmentConfigurationProvider(IDictionary environment) : ConfigurationProvider
{
    public int Count => Data.Count;

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(GatewayConfigurationSources.EnvironmentPrefix, StringComparison.Ordinal)
                && name.Length > GatewayConfigurationSources.EnvironmentPrefix.Length)
            {
                var key = "Floxide:" + name[GatewayConfigurationSources.EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                data[key] = entry.Value as string;
            }
        }

        Data = data;
    }
}

/// <summary>
/// Reads systemd credentials (<c>LoadCredential=Floxide__Mqtt__Password:/etc/floxide-edge/mqtt-password</c>): each file in
/// <c>$CREDENTIALS_DIRECTORY</c> named <c>Floxide__…</c> becomes the setting of that name, so a password never sits in
/// the world-readable configuration file or the environment.
/// </summary>
internal sealed class CredentialsConfigurationSource(string? directory) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new CredentialsConfigurationProvider(directory);
}

internal sealed class CredentialsConfigurationProvider(string? directory) : ConfigurationProvider
{
    public int Count => Data.Count;

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(directory) && Directory.Exists(directory))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "Floxide__*"))
            {
                // An empty credential (install.sh creates an empty mqtt-password) means "not set".
                var value = File.ReadAllText(file).TrimEnd('\r', '\n');
                if (value.Length > 0)
                {
                    data[Path.GetFileName(file).Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
                }
            }
        }

        Data = data;
    }
}
