namespace Floxide.Edge.Gateway.Tests.Support;

/// <summary>A configuration file in its own temporary folder, deleted on dispose.</summary>
internal sealed class TempConfig : IDisposable
{
    private readonly DirectoryInfo directory = System.IO.Directory.CreateTempSubdirectory("floxide-config-");

    public TempConfig(string json)
    {
        Path = System.IO.Path.Combine(directory.FullName, "gateway.json");
        File.WriteAllText(Path, json);
    }

    public string Path { get; }

    public string Directory => directory.FullName;

    public void Write(string json)
    {
        // Write then rename, as editors and config management do, so a watcher never reads half a file.
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, Path, overwrite: true);
    }

    public void Dispose() => directory.Delete(recursive: true);
}
