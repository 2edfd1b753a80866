using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Gateway.Dashboard;

/// <summary>The last log lines, shown under the live table instead of scrolling it away.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class DashboardLogSink
{
    private const int Capacity = 8;
    private readonly Lock gate = new();
    private readonly Queue<(LogLevel Level, string Line)> lines = new(Capacity);

    /// <summary>Adds a line, dropping the oldest beyond the capacity.</summary>
    /// <param name="level">The entry's level.</param>
    /// <param name="line">The text.</param>
    public void Add(LogLevel level, string line)
    {
        lock (gate)
        {
            if (lines.Count == Capacity)
            {
                lines.Dequeue();
            }

            lines.Enqueue((level, line));
        }
    }

    /// <summary>Copies the lines, oldest first.</summary>
    /// <returns>The lines.</returns>
    public IReadOnlyList<(LogLevel Level, string Line)> Snapshot()
    {
        lock (gate)
        {
            return [.. lines];
        }
    }
}

/// <summary>Sends log entries to the <see cref="DashboardLogSink"/>.</summary>
/// <param name="sink">The sink.</param>
[ProviderAlias("Dashboard")]
public sealed class DashboardLoggerProvider(DashboardLogSink sink) : ILoggerProvider
{
    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new DashboardLogger(sink, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class DashboardLogger(DashboardLogSink sink, string category) : ILogger
    {
        private readonly string shortCategory = category[(category.LastIndexOf('.') + 1)..];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var message = formatter(state, exception);
                sink.Add(logLevel, $"{DateTime.Now:HH:mm:ss} {shortCategory}: {message}{(exception is null ? string.Empty : " (" + exception.Message + ")")}");
            }
        }
    }
}
