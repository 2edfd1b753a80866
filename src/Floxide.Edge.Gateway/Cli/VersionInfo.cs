using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Floxide.Edge.Gateway.Cli;

/// <summary>What <c>floxide-edge --version</c> prints.</summary>
public static class VersionInfo
{
    /// <summary>The product version, e.g. <c>0.1.0</c> (with <c>+commit</c> when built from git).</summary>
    public static string Version { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The full line: version, runtime, platform and whether it is a NativeAOT or JIT build.</summary>
    public static string Describe() =>
        $"floxide-edge {Version} (.NET {Environment.Version}, {RuntimeInformation.RuntimeIdentifier}, " +
        $"{(RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "NativeAOT")})";
}
