using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Floxide.Edge.Gateway.Configuration;

/// <summary>
/// Reloads the configuration on SIGHUP (<c>systemctl reload floxide-edge</c>) or when the file changes. The new
/// configuration is validated first: a valid one replaces the running one (features see it through
/// <c>IOptionsMonitor.OnChange</c>); an invalid one is rejected with every problem logged, and the running one stays.
/// </summary>
public sealed partial class ConfigurationReloadService : IHostedService, IDisposable
{
    private readonly GatewayConfigurationSources sources;
    private readonly ConfigurationValidator validator;
    private readonly AppliedConfigurationProvider applied;
    private readonly ILogger logger;
    private readonly string[] restartOnly;
    private readonly Lock gate = new();
    private PosixSignalRegistration? hangup;
    private IDisposable? fileWatch;
    private volatile string trigger = "file change";

    internal ConfigurationReloadService(
        GatewayConfigurationSources sources,
        ConfigurationValidator validator,
        AppliedConfigurationProvider applied,
        ILogger<ConfigurationReloadService> logger,
        IEnumerable<RestartOnlySection>? restartOnly = null)
    {
        this.restartOnly = [.. (restartOnly ?? []).Select(section => section.Path)];
        this.sources = sources;
        this.validator = validator;
        this.applied = applied;
        this.logger = logger;
    }

    /// <summary>Raised after each reload attempt, applied or rejected.</summary>
    public event Action<ConfigurationReloadResult>? Reloaded;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        fileWatch = ChangeToken.OnChange(sources.Root.GetReloadToken, () => TryApply(Interlocked.Exchange(ref trigger, "file change")));
        if (!OperatingSystem.IsWindows())
        {
            hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                // The default action of SIGHUP ends the process; here it means "reload", as for most daemons.
                context.Cancel = true;
                trigger = "SIGHUP";
                sources.Reload();
            });
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Validates the written configuration and applies it when valid.</summary>
    /// <param name="reason">What asked for the reload, for the log.</param>
    /// <returns>What happened.</returns>
    public ConfigurationReloadResult TryApply(string reason)
    {
        lock (gate)
        {
            var problems = validator.Validate(sources);
            ConfigurationReloadResult result;
            if (problems.Count > 0)
            {
                LogRejected(logger, reason, problems.Count, string.Join(Environment.NewLine, problems.Select(problem => "  - " + problem)));
                result = new ConfigurationReloadResult(false, problems, []);
            }
            else
            {
                var changed = applied.Apply(sources.Root);
                LogApplied(logger, reason, changed.Count, changed.Count == 0 ? "none" : string.Join(", ", changed));
                var later = changed.Where(key => restartOnly.Any(section =>
                    key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase) || string.Equals(key, section, StringComparison.OrdinalIgnoreCase))).ToList();
                if (later.Count > 0)
                {
                    LogRestartNeeded(logger, string.Join(", ", later));
                }
                result = new ConfigurationReloadResult(true, [], changed);
            }

            Reloaded?.Invoke(result);
            return result;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        hangup?.Dispose();
        hangup = null;
        fileWatch?.Dispose();
        fileWatch = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration reloaded ({Trigger}): {Count} setting(s) changed: {Keys}")]
    private static partial void LogApplied(ILogger logger, string trigger, int count, string keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "These settings take effect when the gateway restarts (systemctl restart floxide-edge): {Keys}")]
    private static partial void LogRestartNeeded(ILogger logger, string keys);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration reload ({Trigger}) rejected with {Count} problem(s); the running configuration stays:\n{Problems}")]
    private static partial void LogRejected(ILogger logger, string trigger, int count, string problems);
}

/// <summary>The outcome of a reload.</summary>
/// <param name="Applied"><see langword="true"/> when the new configuration now runs.</param>
/// <param name="Problems">Why it was rejected.</param>
/// <param name="ChangedKeys">The settings that changed, when applied.</param>
public sealed record ConfigurationReloadResult(bool Applied, IReadOnlyList<ConfigurationProblem> Problems, IReadOnlyList<string> ChangedKeys);

/// <summary>A configuration section whose changes apply only after a restart: a reload that changes it says so.</summary>
/// <param name="Path">The section, e.g. <c>Floxide:Mqtt</c>.</param>
public sealed record RestartOnlySection(string Path);
