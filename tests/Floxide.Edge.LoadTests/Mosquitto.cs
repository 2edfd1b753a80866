using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Floxide.Edge.LoadTests;

/// <summary>A mosquitto for the load run: a config file in a temp directory, a free loopback port, ready when its log says so.</summary>
internal sealed class Mosquitto : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"];
    private readonly Process process;
    private readonly DirectoryInfo directory;

    private Mosquitto(Process process, DirectoryInfo directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Process Process => process;

    public static async Task<Mosquitto> StartAsync()
    {
        var executable = Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: run ./build.sh setup");
        var directory = Directory.CreateTempSubdirectory("floxide-load-");
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var config = Path.Combine(directory.FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            user root
            listener {port} 127.0.0.1
            allow_anonymous true
            max_inflight_messages 1000
            max_queued_messages 1000000
            set_tcp_nodelay true
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            connection_messages false
            """);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new Process { StartInfo = new ProcessStartInfo(executable, ["-c", config]) { RedirectStandardError = true, UseShellExecute = false } };
        started.ErrorDataReceived += (_, line) =>
        {
            if (line.Data?.Contains(" running", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        started.Start();
        started.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(15));
        return new Mosquitto(started, directory, port);
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        directory.Delete(recursive: true);
    }
}
