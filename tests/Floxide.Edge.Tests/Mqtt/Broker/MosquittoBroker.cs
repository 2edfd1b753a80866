using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Floxide.Edge.Tests.Mqtt.Broker;

/// <summary>What the test broker is configured with.</summary>
internal sealed record MosquittoConfig
{
    /// <summary>User name to password; empty means anonymous access.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>TLS files for a second listener, or null for plain TCP only.</summary>
    public MosquittoTls? Tls { get; init; }

    public int MaxInflightMessages { get; init; } = 20;

    public int MaxQueuedMessages { get; init; } = 100_000;
}

internal sealed record MosquittoTls(string CaFile, string CertificateFile, string KeyFile, bool RequireClientCertificate = false);

/// <summary>
/// A real mosquitto broker on free 127.0.0.1 ports, configured by a file written to a temp directory, started as a
/// child process and ready once its log says so. Persistence is on, so <see cref="RestartAsync"/> keeps sessions.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly ConcurrentQueue<string> log = new();
    private readonly MosquittoConfig config;
    private Process? process;

    private MosquittoBroker(MosquittoConfig config, DirectoryInfo directory)
    {
        this.config = config;
        Directory = directory;
    }

    public DirectoryInfo Directory { get; }

    public int Port { get; private set; }

    public int TlsPort { get; private set; }

    public bool IsRunning => process is { HasExited: false };

    public string Log => string.Join('\n', log);

    public static async Task<MosquittoBroker> StartAsync(MosquittoConfig? config = null)
    {
        var broker = new MosquittoBroker(config ?? new MosquittoConfig(), System.IO.Directory.CreateTempSubdirectory("floxide-mosquitto-"));
        await broker.WriteConfigAsync();
        await broker.StartProcessAsync();
        return broker;
    }

    /// <summary>Finds the mosquitto executable, or fails with what to do about it.</summary>
    public static string Executable()
    {
        string[] candidates = [Environment.GetEnvironmentVariable("MOSQUITTO") ?? "", "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"];
        foreach (var path in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(p => Path.Combine(p, "mosquitto")).Concat(candidates))
        {
            if (path.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException(
            "mosquitto is not installed, and the MQTT tests run against a real broker: run './build.sh setup' " +
            "(it installs the Debian packages mosquitto and mosquitto-clients), or set MOSQUITTO to the executable's path.");
    }

    /// <summary>Stops the broker with SIGTERM (it saves its persistence file) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (process is not { HasExited: false } running)
        {
            return;
        }

        _ = SendSignal(running.Id, Sigterm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await running.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }
    }

    /// <summary>Starts the broker again on the same ports, with the sessions it saved.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync(keepPorts: true);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process?.Dispose();
        try
        {
            Directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WriteConfigAsync()
    {
        var dataDirectory = Directory.CreateSubdirectory("data");
        var text = new StringBuilder()
            .AppendLine("user root")
            .AppendLine("per_listener_settings false")
            .AppendLine(config.Users.Count == 0 ? "allow_anonymous true" : "allow_anonymous false")
            .AppendLine("persistence true")
            .AppendLine($"persistence_location {dataDirectory.FullName}/")
            .AppendLine("autosave_interval 1")
            .AppendLine($"max_inflight_messages {config.MaxInflightMessages}")
            .AppendLine($"max_queued_messages {config.MaxQueuedMessages}")
            .AppendLine("log_dest stderr")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            .AppendLine("log_type information")
            .AppendLine("connection_messages true")
            .AppendLine("set_tcp_nodelay true");
        if (config.Users.Count > 0)
        {
            var passwords = Path.Combine(Directory.FullName, "passwd");
            await File.WriteAllLinesAsync(passwords, config.Users.Select(user => $"{user.Key}:{user.Value}"));
            await RunAsync(Path.Combine(Path.GetDirectoryName(Executable())!, "..", "bin", "mosquitto_passwd"), $"-U {passwords}");
            text.AppendLine($"password_file {passwords}");
        }

        await File.WriteAllTextAsync(Path.Combine(Directory.FullName, "listeners.conf.in"), text.ToString());
    }

    private async Task StartProcessAsync(bool keepPorts = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!keepPorts)
            {
                Port = FreePort();
                TlsPort = config.Tls is null ? 0 : FreePort();
            }

            var configFile = Path.Combine(Directory.FullName, "mosquitto.conf");
            var text = new StringBuilder(await File.ReadAllTextAsync(Path.Combine(Directory.FullName, "listeners.conf.in")))
                .AppendLine($"listener {Port} 127.0.0.1");
            if (config.Tls is { } tls)
            {
                text.AppendLine($"listener {TlsPort} 127.0.0.1")
                    .AppendLine($"cafile {tls.CaFile}")
                    .AppendLine($"certfile {tls.CertificateFile}")
                    .AppendLine($"keyfile {tls.KeyFile}")
                    .AppendLine($"require_certificate {(tls.RequireClientCertificate ? "true" : "false")}");
            }

            await File.WriteAllTextAsync(configFile, text.ToString());
            if (await TryLaunchAsync(configFile))
            {
                return;
            }

            if (attempt == 3 || keepPorts)
            {
                throw new InvalidOperationException($"mosquitto did not start (config {configFile}). Its log:\n{Log}");
            }
        }
    }

    private async Task<bool> TryLaunchAsync(string configFile)
    {
        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new Process
        {
            StartInfo = new ProcessStartInfo(Executable(), ["-c", configFile])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        started.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                ready.TrySetResult(false);
                return;
            }

            log.Enqueue(line.Data);
            if (line.Data.Contains(" running", StringComparison.Ordinal) && line.Data.Contains("mosquitto version", StringComparison.Ordinal))
            {
                ready.TrySetResult(true);
            }
        };
        started.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                log.Enqueue(line.Data);
            }
        };
        started.Exited += (_, _) => ready.TrySetResult(false);
        started.Start();
        started.BeginErrorReadLine();
        started.BeginOutputReadLine();
        process = started;
        bool isReady;
        try
        {
            isReady = await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            isReady = false;
        }

        if (!isReady && !started.HasExited)
        {
            started.Kill();
            await started.WaitForExitAsync();
        }

        return isReady;
    }

    private static async Task RunAsync(string executable, string arguments)
    {
        if (!File.Exists(executable))
        {
            executable = "mosquitto_passwd";
        }

        using var tool = Process.Start(new ProcessStartInfo(executable, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await tool.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (tool.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} {arguments} failed: {await tool.StandardError.ReadToEndAsync()}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
