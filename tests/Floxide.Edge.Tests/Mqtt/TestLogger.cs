using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Tests.Mqtt;

/// <summary>A logger that keeps every entry, for asserting on what was (and was not) logged.</summary>
internal sealed class TestLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception), exception));

    public IEnumerable<string> Messages(LogLevel minimum = LogLevel.Trace) =>
        Entries.Where(e => e.Level >= minimum).Select(e => e.Message);

    public string AllText => string.Join('\n', Entries.Select(e => $"{e.Level}: {e.Message} {e.Exception}"));
}
