using Floxide.Edge.Readings;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Sensors;

internal static partial class SensorLog
{
    [LoggerMessage(1, LogLevel.Debug, "Sensor {SensorId} read failed ({Kind}, {Count} in a row): {Detail}")]
    public static partial void ReadFailed(ILogger logger, string sensorId, SensorFaultKind kind, int count, string detail);

    [LoggerMessage(2, LogLevel.Warning, "Sensor {SensorId} is offline after {Count} failed reads: {Detail}")]
    public static partial void WentOffline(ILogger logger, string sensorId, int count, string detail);

    [LoggerMessage(3, LogLevel.Information, "Sensor {SensorId} is online ({Source})")]
    public static partial void CameOnline(ILogger logger, string sensorId, string source);

    [LoggerMessage(4, LogLevel.Error, "Sensor {SensorId}: the driver threw unexpectedly")]
    public static partial void DriverThrew(ILogger logger, string sensorId, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Polling sensor {SensorId} ({Source}) every {Interval}, first after {FirstPollDelay}")]
    public static partial void Polling(ILogger logger, string sensorId, string source, TimeSpan interval, TimeSpan firstPollDelay);
}
