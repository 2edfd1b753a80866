using System.Globalization;
using Microsoft.Extensions.Logging;
using MQTTnet.Diagnostics.Logger;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// Passes MQTTnet's own warnings and errors (a late PUBACK, a packet it could not decode) to the gateway's log;
/// its verbose and informational chatter (about fifteen lines per connect) stays out.
/// </summary>
internal sealed partial class MqttNetLogAdapter(ILogger logger) : IMqttNetLogger
{
    public bool IsEnabled => logger.IsEnabled(LogLevel.Warning);

    public void Publish(MqttNetLogLevel logLevel, string source, string message, object[]? parameters, Exception? exception)
    {
        if (logLevel < MqttNetLogLevel.Warning || !logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var text = parameters is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, message, parameters) : message;
        if (logLevel == MqttNetLogLevel.Error)
        {
            LogError(logger, exception, source, text);
        }
        else
        {
            LogWarning(logger, exception, source, text);
        }
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Warning, Message = "MQTTnet [{Source}]: {Message}")]
    private static partial void LogWarning(ILogger logger, Exception? exception, string source, string message);

    [LoggerMessage(EventId = 151, Level = LogLevel.Error, Message = "MQTTnet [{Source}]: {Message}")]
    private static partial void LogError(ILogger logger, Exception? exception, string source, string message);
}
