using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Floxide.Edge.Gateway.Tests.Support;

/// <summary>The real floxide-edge executable, started from the test's output folder, with its output captured.</summary>
internal sealed partial class GatewayProcess : IDisposable
{
    public const int SigTerm = 15;
    public const int SigHup = 1;

    private readonly Process process;
    private readonly DirectoryInfo stateDirectory;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> outputWaiters = [];

    private GatewayProcess(Process process, DirectoryInfo stateDirectory)
    {
        this.process = process;
        this.stateDirectory = stateDirectory;
        process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "floxide-edge");

    public int Id => process.Id;

    /// <summary>The gateway's own state directory (alert state, outbox), removed on dispose.</summary>
    public string StateDirectory => stateDirectory.FullName;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (error)
            {
                return error.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the gateway. The environment is the test's minus anything systemd or a user could have set, plus
    /// <paramref name="environment"/>: quiet defaults for tests (no metrics endpoint, broker on a free port, a state
    /// directory of its own, a simulated fleet reporting every 200 ms) first.
    /// </summary>
    public static GatewayProcess Start(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null) =>
        Start(arguments, environment, testDefaults: true);

    /// <summary>
    /// Starts the gateway with its built-in defaults: no FLOXIDE_* settings at all; only the per-user state home
    /// (<c>XDG_STATE_HOME</c>) points at a folder of its own, so the default state directory is exercised but not shared.
    /// </summary>
    public static GatewayProcess StartWithDefaults(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null) =>
        Start(arguments, environment, testDefaults: false);

    private static GatewayProcess Start(IEnumerable<string> arguments, IDictionary<string, string?>? environment, bool testDefaults)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("FLOXIDE_", StringComparison.Ordinal)
                     || key is "NOTIFY_SOCKET" or "WATCHDOG_USEC" or "WATCHDOG_PID" or "JOURNAL_STREAM" or "INVOCATION_ID" or "CREDENTIALS_DIRECTORY").ToList())
        {
            start.Environment.Remove(name);
        }

        var stateDirectory = Directory.CreateTempSubdirectory("floxide-state-");
        start.Environment.Remove("STATE_DIRECTORY");
        if (testDefaults)
        {
            start.Environment["FLOXIDE_METRICS__ENABLED"] = "false";
            start.Environment["FLOXIDE_EMBEDDEDBROKER__PORT"] = "0";
            start.Environment["FLOXIDE_HOST__STATEDIRECTORY"] = stateDirectory.FullName;
            start.Environment["FLOXIDE_SIMULATION__FLEETINTERVAL"] = "00:00:00.200";
        }
        else
        {
            start.Environment["XDG_STATE_HOME"] = stateDirectory.FullName;
        }
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        return new GatewayProcess(Process.Start(start) ?? throw new InvalidOperationException("floxide-edge did not start"), stateDirectory);
    }

    public void Signal(int signal)
    {
        if (Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await process.WaitForExitAsync().WaitAsync(timeout);
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Completes when <paramref name="text"/> appears in standard output; fails if the process exits first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (output)
        {
            if (output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            outputWaiters.Add((text, seen));
        }

        try
        {
            await Task.WhenAny(seen.Task, process.WaitForExitAsync()).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
        }

        if (!seen.Task.IsCompleted)
        {
            throw new TimeoutException($"'{text}' did not appear within {timeout}.\nstdout:\n{Output}\nstderr:\n{Error}");
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
        try
        {
            stateDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process: the temp folder is cleaned up by the system.
        }
    }

    private void OnOutput(string? line)
    {
        Append(output, line);
        lock (output)
        {
            var text = output.ToString();
            outputWaiters.RemoveAll(waiter => text.Contains(waiter.Text, StringComparison.Ordinal) && waiter.Seen.TrySetResult());
        }
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
