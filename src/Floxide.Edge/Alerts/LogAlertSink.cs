using Floxide.Edge.Classification;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Alerts;

/// <summary>
/// Writes every alert notification to the log (journald under systemd): raised, escalated and reminders at warning
/// or error level by severity, de-escalations, clearances and restorations at information level.
/// </summary>
/// <param name="logger">The logger.</param>
public sealed partial class LogAlertSink(ILogger<LogAlertSink> logger) : IAlertSink
{
    private readonly ILogger<LogAlertSink> logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <inheritdoc/>
    public string Name => "log";

    /// <inheritdoc/>
    public ValueTask PublishAsync(AlertNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var alert = notification.Alert;
        var level = notification.Transition switch
        {
            AlertTransition.Cleared or AlertTransition.Restored or AlertTransition.Deescalated => LogLevel.Information,
            _ => alert.Severity == Severity.Critical ? LogLevel.Error : LogLevel.Warning,
        };
        LogNotification(level, notification.Transition, alert.Severity, alert.Id, alert.Message, notification.Sequence);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Message = "Alert {Transition} ({Severity}) {AlertId}: {Message} [#{Sequence}]")]
    private partial void LogNotification(LogLevel level, AlertTransition transition, Severity severity, string alertId, string message, long sequence);
}
