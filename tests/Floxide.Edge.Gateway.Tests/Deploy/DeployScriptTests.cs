using Floxide.Edge.Gateway.Tests.Support;

namespace Floxide.Edge.Gateway.Tests.Deploy;

/// <summary>deploy/install.sh (staged below a temporary root) and deploy/build-deb.sh (inspected with dpkg-deb), run for real.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DeployScriptTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("floxide-deploy-");

    private string Root => Path.Combine(work.FullName, "root");

    [Fact]
    public async Task Install_StagedTwiceThenUninstalled_InstallsEveryFileKeepsTheConfigurationAndPurgeRemovesIt()
    {
        var first = await InstallScriptAsync("install", "--root", Root, "--binary", GatewayProcess.ExecutablePath);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("The configuration is valid", first.Output, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(Staged("usr/bin/floxide-edge")));
        Assert.Equal(File.ReadAllText(RepositoryRoot.File("deploy", "floxide-edge.service")), File.ReadAllText(Staged("etc/systemd/system/floxide-edge.service")));
        Assert.Equal(File.ReadAllText(RepositoryRoot.File("deploy", "gateway.json")), File.ReadAllText(Staged("etc/floxide-edge/gateway.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Staged("etc/floxide-edge/mqtt-password")));
        Assert.True(Directory.Exists(Staged("var/lib/floxide-edge")));
        Assert.True(File.Exists(Staged("usr/share/doc/floxide-edge/README.md")));

        // Idempotent: a second run upgrades the binary and keeps the administrator's configuration.
        File.WriteAllText(Staged("etc/floxide-edge/gateway.json"), """{ "Floxide": { "Metrics": { "Port": 9100 } } }""");
        var second = await InstallScriptAsync("install", "--root", Root, "--binary", GatewayProcess.ExecutablePath);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("9100", File.ReadAllText(Staged("etc/floxide-edge/gateway.json")), StringComparison.Ordinal);

        var uninstall = await InstallScriptAsync("uninstall", "--root", Root);
        Assert.True(uninstall.ExitCode == 0, uninstall.Output);
        Assert.False(File.Exists(Staged("usr/bin/floxide-edge")));
        Assert.False(File.Exists(Staged("etc/systemd/system/floxide-edge.service")));
        Assert.True(File.Exists(Staged("etc/floxide-edge/gateway.json")));

        var purge = await InstallScriptAsync("uninstall", "--purge", "--root", Root);
        Assert.True(purge.ExitCode == 0, purge.Output);
        Assert.False(Directory.Exists(Staged("etc/floxide-edge")));
        Assert.False(Directory.Exists(Staged("var/lib/floxide-edge")));
    }

    [Fact]
    public async Task Install_InvalidExistingConfiguration_FailsNamingTheProblem()
    {
        Directory.CreateDirectory(Staged("etc/floxide-edge"));
        File.WriteAllText(Staged("etc/floxide-edge/gateway.json"), """{ "Floxide": { "Metrics": { "Port": 70000 } } }""");

        var (exitCode, output) = await InstallScriptAsync("install", "--root", Root, "--binary", GatewayProcess.ExecutablePath);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Floxide:Metrics:Port = '70000'", output, StringComparison.Ordinal);
        Assert.Contains("install.sh: the configuration is invalid", output, StringComparison.Ordinal);
    }

    [ToolFact("dpkg-deb", "dpkg")]
    public async Task BuildDeb_Binary_PackagesTheUnitConfigurationAndScripts()
    {
        var out_ = Path.Combine(work.FullName, "out");
        var build = await Tools.RunAsync("bash", [RepositoryRoot.File("deploy", "build-deb.sh"), "--binary", GatewayProcess.ExecutablePath, "--out", out_, "linux-arm64"], Patience);
        Assert.True(build.ExitCode == 0, build.Output);
        var package = Assert.Single(Directory.GetFiles(out_, "floxide-edge_*_arm64.deb"));

        var fields = await DpkgDebAsync("-f", package, "Package", "Architecture", "Depends");
        Assert.Equal("Package: floxide-edge\nArchitecture: arm64\nDepends: libc6 (>= 2.31), adduser\n", fields);
        var contents = await DpkgDebAsync("-c", package);
        Assert.Matches(@"(?m)^drwxr-xr-x root/root .* \./$", contents);
        Assert.Matches(@"(?m)^-rwxr-xr-x root/root .* \./usr/bin/floxide-edge$", contents);
        Assert.Matches(@"(?m)^-rw-r--r-- root/root .* \./lib/systemd/system/floxide-edge\.service$", contents);
        Assert.Matches(@"(?m)^-rw-r--r-- root/root .* \./etc/floxide-edge/gateway\.json$", contents);

        var control = Path.Combine(work.FullName, "control");
        await DpkgDebAsync("-e", package, control);
        Assert.Equal("/etc/floxide-edge/gateway.json\n", File.ReadAllText(Path.Combine(control, "conffiles")));
        foreach (var script in new[] { "postinst", "prerm", "postrm" })
        {
            var (exitCode, output) = await Tools.RunAsync("sh", ["-n", Path.Combine(control, script)], Patience);
            Assert.True(exitCode == 0, $"{script}: {output}");
        }

        Assert.Contains("adduser --system --group", File.ReadAllText(Path.Combine(control, "postinst")), StringComparison.Ordinal);
        var unit = Path.Combine(work.FullName, "unpacked");
        await DpkgDebAsync("-x", package, unit);
        Assert.Equal(File.ReadAllText(RepositoryRoot.File("deploy", "floxide-edge.service")), File.ReadAllText(Path.Combine(unit, "lib/systemd/system/floxide-edge.service")));
    }

    public void Dispose() => work.Delete(recursive: true);

    private string Staged(string path) => Path.Combine(Root, path);

    private static Task<(int ExitCode, string Output)> InstallScriptAsync(params string[] arguments) =>
        Tools.RunAsync("bash", [RepositoryRoot.File("deploy", "install.sh"), .. arguments], Patience);

    private static async Task<string> DpkgDebAsync(params string[] arguments)
    {
        var (exitCode, output) = await Tools.RunAsync("dpkg-deb", arguments, Patience);
        Assert.True(exitCode == 0, $"dpkg-deb {string.Join(' ', arguments)}: {output}");
        return output;
    }
}
