using System.Reflection;

namespace Floxide.Edge.Tests.Support;

/// <summary>Paths into the repository's devices/ folder, baked in at build time.</summary>
internal static class RepositoryFiles
{
    public static string DevicesDirectory { get; } = typeof(RepositoryFiles).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DevicesDirectory").Value!;

    /// <summary>The repository's root, the folder above devices/.</summary>
    public static string RepositoryRoot => Path.GetDirectoryName(DevicesDirectory)!;

    public static IEnumerable<string> ProfileFiles =>
        Directory.EnumerateDirectories(DevicesDirectory)
            .Select(d => Path.Combine(d, "profile.json"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal);

    public static IEnumerable<string> ExampleFiles =>
        Directory.EnumerateFiles(Path.Combine(DevicesDirectory, "examples"), "*.json").Order(StringComparer.Ordinal);
}
