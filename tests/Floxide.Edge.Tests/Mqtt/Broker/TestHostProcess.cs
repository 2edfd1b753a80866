using System.Collections.Concurrent;
using System.Diagnostics;

namespace Floxide.Edge.Tests.Mqtt.Broker;

/// <summary>The Floxide.Edge.MqttTestHost executable as a real child process: ingest -> publisher -> outbox.</summary>
internal sealed class TestHostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> log = new();

    private TestHostProcess(Process process) => this.process = process;

    public string Log => string.Join('\n', log);

    public static async Task<TestHostProcess> StartAsync(int port, string outboxPath)
    {
        var host = new TestHostProcess(new Process
        {
            StartInfo = new ProcessStartInfo("dotnet", [HostAssembly(), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--outbox", outboxPath])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        });
        host.process.OutputDataReceived += (_, line) =>
        {
            if (line.Data == "ready")
            {
                host.ready.TrySetResult();
            }
        };
        host.process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                host.log.Enqueue(line.Data);
            }
        };
        host.process.Start();
        host.process.BeginOutputReadLine();
        host.process.BeginErrorReadLine();
        try
        {
            await host.ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await host.DisposeAsync();
            throw new InvalidOperationException($"The test host did not connect within 30 s. Its log:\n{host.Log}");
        }

        return host;
    }

    /// <summary>SIGKILL: no clean shutdown, no DISCONNECT, nothing flushed.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        process.Dispose();
    }

    private static string HostAssembly()
    {
        // tests/Floxide.Edge.Tests/bin/<Configuration>/net10.0 -> tests/Floxide.Edge.MqttTestHost/bin/<Configuration>/net10.0
        var testsOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testsOutput.Parent!.Name;
        var path = Path.GetFullPath(Path.Combine(testsOutput.FullName, "..", "..", "..", "..", "Floxide.Edge.MqttTestHost", "bin", configuration, testsOutput.Name, "Floxide.Edge.MqttTestHost.dll"));
        return File.Exists(path) ? path : throw new FileNotFoundException($"The test host is not built at {path}; build the solution first.", path);
    }
}
