using System.Reflection;

namespace Floxide.Edge.Devices;

/// <summary>
/// The device profiles the gateway knows, by model name. The profiles of <c>devices/</c> are embedded in
/// Floxide.Edge, so a deployed gateway needs no checkout; a directory laid out like <c>devices/</c> may add models or
/// replace embedded ones.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class DeviceCatalog
{
    private const string ResourcePrefix = "devices/";
    private const string ProfileFileName = "profile.json";
    private readonly Dictionary<string, DeviceProfile> profiles;

    /// <summary>Creates a catalog of <paramref name="profiles"/>.</summary>
    /// <param name="profiles">The profiles; model names must be unique.</param>
    /// <exception cref="ArgumentException">Two profiles share a model name.</exception>
    public DeviceCatalog(IEnumerable<DeviceProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        this.profiles = new Dictionary<string, DeviceProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var profile in profiles)
        {
            if (!this.profiles.TryAdd(profile.Model, profile))
            {
                throw new ArgumentException($"Two device profiles are named '{profile.Model}'.", nameof(profiles));
            }
        }
    }

    /// <summary>Every profile, ordered by model name.</summary>
    public IReadOnlyList<DeviceProfile> All => [.. profiles.Values.OrderBy(p => p.Model, StringComparer.Ordinal)];

    /// <summary>The model names, ordered.</summary>
    public IEnumerable<string> Models => All.Select(p => p.Model);

    /// <summary>Looks a profile up by model name, ignoring case.</summary>
    /// <param name="model">The model, e.g. <c>bme280</c>.</param>
    /// <param name="profile">The profile, when known.</param>
    /// <returns><see langword="true"/> when the model is known.</returns>
    public bool TryGet(string? model, out DeviceProfile profile)
    {
        if (model is not null && profiles.TryGetValue(model, out var found))
        {
            profile = found;
            return true;
        }

        profile = null!;
        return false;
    }

    /// <summary>The profile of <paramref name="model"/>.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="KeyNotFoundException">The model is unknown; the message lists the known ones.</exception>
    public DeviceProfile Get(string model) => TryGet(model, out var profile)
        ? profile
        : throw new KeyNotFoundException($"No device profile is named '{model}'; known: {string.Join(", ", Models)}.");

    /// <summary>Loads the profiles embedded in Floxide.Edge.</summary>
    /// <returns>The catalog.</returns>
    /// <exception cref="DeviceProfileException">An embedded profile is invalid (a build that let it in is broken).</exception>
    public static DeviceCatalog LoadEmbedded() => Load(overrideDirectory: null);

    /// <summary>
    /// Loads the embedded profiles, then every <c>&lt;model&gt;/profile.json</c> under <paramref name="overrideDirectory"/>,
    /// which adds models or replaces embedded ones.
    /// </summary>
    /// <param name="overrideDirectory">A directory laid out like <c>devices/</c>, or null for the embedded profiles only.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="DeviceProfileException">A profile is invalid; every problem of every file is listed.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="overrideDirectory"/> does not exist.</exception>
    public static DeviceCatalog Load(string? overrideDirectory)
    {
        var errors = new List<DeviceProfileError>();
        var byModel = new Dictionary<string, DeviceProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var (file, model, content) in EmbeddedProfiles())
        {
            if (DeviceProfileReader.TryRead(file, content, model, errors) is { } profile)
            {
                byModel[profile.Model] = profile;
            }
        }

        if (overrideDirectory is not null)
        {
            foreach (var profile in LoadDirectory(overrideDirectory, errors))
            {
                byModel[profile.Model] = profile;
            }
        }

        if (errors.Count > 0)
        {
            throw new DeviceProfileException(errors);
        }

        return new DeviceCatalog(byModel.Values);
    }

    /// <summary>Loads every <c>&lt;model&gt;/profile.json</c> under <paramref name="directory"/> and nothing else.</summary>
    /// <param name="directory">A directory laid out like <c>devices/</c>.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="DeviceProfileException">A profile is invalid; every problem of every file is listed.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    public static DeviceCatalog LoadDirectory(string directory)
    {
        var errors = new List<DeviceProfileError>();
        var profiles = LoadDirectory(directory, errors);
        if (errors.Count > 0)
        {
            throw new DeviceProfileException(errors);
        }

        return new DeviceCatalog(profiles);
    }

    private static List<DeviceProfile> LoadDirectory(string directory, List<DeviceProfileError> errors)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The device profile directory '{directory}' does not exist; point it at a folder laid out like devices/ (devices/<model>/profile.json).");
        }

        var profiles = new List<DeviceProfile>();
        foreach (var folder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(folder, ProfileFileName);
            if (!File.Exists(file))
            {
                continue;
            }

            if (DeviceProfileReader.TryRead(file, File.ReadAllBytes(file), Path.GetFileName(folder), errors) is { } profile)
            {
                profiles.Add(profile);
            }
        }

        return profiles;
    }

    private static IEnumerable<(string File, string Model, byte[] Content)> EmbeddedProfiles()
    {
        var assembly = typeof(DeviceCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            // Resource names are "devices/<model>/profile.json" (see Floxide.Edge.csproj).
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !name.EndsWith("/" + ProfileFileName, StringComparison.Ordinal))
            {
                continue;
            }

            var model = name[ResourcePrefix.Length..^(ProfileFileName.Length + 1)];
            yield return (name, model, ReadResource(assembly, name));
        }
    }

    private static byte[] ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
