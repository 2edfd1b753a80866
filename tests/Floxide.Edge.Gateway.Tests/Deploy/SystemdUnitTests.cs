using System.Globalization;
using System.Text.RegularExpressions;
using Floxide.Edge.Gateway.Tests.Support;

namespace Floxide.Edge.Gateway.Tests.Deploy;

/// <summary>deploy/floxide-edge.service checked by systemd's own tools.</summary>
public sealed partial class SystemdUnitTests
{
    private static readonly string Unit = RepositoryRoot.File("deploy", "floxide-edge.service");

    [ToolFact("systemd-analyze", "systemd")]
    public async Task Verify_Unit_PrintsNothing()
    {
        // verify exits 0 even for unknown keys, and checks that ExecStart exists: so it runs on an image of the install
        // (the binary, /bin/kill for ExecReload, systemd's own units) and must print nothing at all.
        var root = Directory.CreateTempSubdirectory("floxide-unit-root-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "usr/bin"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "bin"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "etc/systemd/system"));
            File.Copy(GatewayProcess.ExecutablePath, Path.Combine(root.FullName, "usr/bin/floxide-edge"));
            File.Copy("/bin/kill", Path.Combine(root.FullName, "bin/kill"));
            CopyDirectory("/usr/lib/systemd/system", Path.Combine(root.FullName, "usr/lib/systemd/system"));
            File.Copy(Unit, Path.Combine(root.FullName, "etc/systemd/system/floxide-edge.service"));

            var (exitCode, output) = await Tools.RunAsync("systemd-analyze", ["verify", "--root=" + root.FullName, "floxide-edge.service"], TimeSpan.FromMinutes(1));

            Assert.Equal(string.Empty, output.Trim());
            Assert.Equal(0, exitCode);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [ToolFact("systemd-analyze", "systemd")]
    public async Task Security_Offline_ExposureAtMostTwo()
    {
        var (_, output) = await Tools.RunAsync("systemd-analyze", ["security", "--offline=true", "--no-pager", Unit], TimeSpan.FromMinutes(1));

        var match = ExposureLine().Match(output);
        Assert.True(match.Success, output);
        var exposure = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= 2.0, $"exposure {exposure} > 2.0:\n{output}");
    }

    [ToolFact("strace", "strace")]
    public async Task CheckSyscalls_GatewayUnderStrace_UsesOnlyCallsTheFilterAllows()
    {
        var (exitCode, output) = await Tools.RunAsync("bash", [RepositoryRoot.File("deploy", "check-syscalls.sh"), GatewayProcess.ExecutablePath, "6"], TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output);
        Assert.Contains("check-syscalls: OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_HasTheSettingsTheGatewayRelies_On()
    {
        var lines = File.ReadAllLines(Unit).Select(line => line.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("Type=notify", lines);
        Assert.Contains("NotifyAccess=main", lines);
        Assert.Contains("Restart=on-failure", lines);
        Assert.Contains("RestartPreventExitStatus=78", lines);
        Assert.Contains("ExecReload=/bin/kill -HUP $MAINPID", lines);
        Assert.Contains("Environment=DOTNET_EnableDiagnostics=0", lines);
        Assert.Contains("LoadCredential=Floxide__Mqtt__Password:/etc/floxide-edge/mqtt-password", lines);
        Assert.Contains("ProtectSystem=strict", lines);
        Assert.Contains("StateDirectory=floxide-edge", lines);
        Assert.Contains("SupplementaryGroups=i2c gpio", lines);
        Assert.Contains(lines, line => line.StartsWith("WatchdogSec=", StringComparison.Ordinal));
        var stopTimeout = TimeSpan.FromSeconds(int.Parse(lines.Single(line => line.StartsWith("TimeoutStopSec=", StringComparison.Ordinal))["TimeoutStopSec=".Length..].TrimEnd('s'), CultureInfo.InvariantCulture));
        Assert.True(new Floxide.Edge.Gateway.Hosting.GatewayHostOptions().ShutdownTimeout < stopTimeout, "the gateway's own stop timeout must end before systemd's");
        Assert.DoesNotContain(lines, line => line.StartsWith("DeviceAllow=", StringComparison.Ordinal) && !line.Contains("i2c", StringComparison.Ordinal) && !line.Contains("gpiochip", StringComparison.Ordinal));
    }

    [Fact]
    public void Unit_GcSizes_AreHexadecimalWithoutPrefix()
    {
        // The NativeAOT runtime reads DOTNET_GC* sizes as hexadecimal digits and silently ignores "0x…" (CoreCLR
        // accepts both), so a prefixed value would leave the AOT build with the defaults (docs/host.md).
        var environment = File.ReadAllLines(Unit).Select(line => line.Trim())
            .Where(line => line.StartsWith("Environment=DOTNET_", StringComparison.Ordinal)).ToList();

        Assert.Contains("Environment=DOTNET_GCHeapHardLimit=6000000", environment);
        Assert.Contains("Environment=DOTNET_GCgen0size=200000", environment);
        Assert.Contains("Environment=DOTNET_GCRegionRange=10000000", environment);
        Assert.All(environment, line => Assert.DoesNotMatch("=0[xX]", line[line.IndexOf('=', "Environment=".Length)..]));
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is null)
            {
                info.CopyTo(Path.Combine(to, info.Name));
            }
            else
            {
                File.CreateSymbolicLink(Path.Combine(to, info.Name), info.LinkTarget);
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            if (new DirectoryInfo(directory).LinkTarget is null)
            {
                CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
            }
        }
    }

    [GeneratedRegex(@"Overall exposure level for floxide-edge\.service: (\d+\.\d+)")]
    private static partial Regex ExposureLine();
}
