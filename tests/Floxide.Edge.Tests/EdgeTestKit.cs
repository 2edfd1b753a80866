using System.Collections.Concurrent;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Floxide.Edge.Tests;

/// <summary>Sensors, readings and recording sinks shared by the classification, alert, reporting and workflow tests.</summary>
internal static class EdgeTestKit
{
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static SensorDescriptor Bme280(string id, TimeSpan? interval = null) => new(id, "bme280", SensorOrigin.Simulated, interval ?? TimeSpan.FromMinutes(1),
        new Dictionary<Quantity, ValueRange>
        {
            [Quantity.Temperature] = new(-40, 85),
            [Quantity.RelativeHumidity] = new(0, 100),
            [Quantity.Pressure] = new(300, 1100),
        });

    public static SensorDirectory Directory(params SensorDescriptor[] sensors)
    {
        var directory = new SensorDirectory();
        foreach (var sensor in sensors)
        {
            directory.Register(sensor);
        }

        return directory;
    }

    public static SensorReading Reading(string sensorId, DateTimeOffset at, double? celsius = null, double? humidity = null, long sequence = 1, IReadingReceipt? receipt = null)
    {
        var reading = new SensorReading(sensorId, at, sequence, "test") { Receipt = receipt };
        if (celsius.HasValue)
        {
            ReadingValues.TrySetValue(reading, Quantity.Temperature, celsius.Value);
        }

        if (humidity.HasValue)
        {
            ReadingValues.TrySetValue(reading, Quantity.RelativeHumidity, humidity.Value);
        }

        return reading;
    }

    public static ClassificationOptions Temperature(double? lowCritical = 5, double? lowWarning = 10, double? highWarning = 28, double? highCritical = 32,
        double hysteresis = 0.5, int? holdReadings = null, TimeSpan? holdTime = null)
    {
        var options = new ClassificationOptions();
        options.Defaults.Thresholds["temperature"] = new ThresholdOptions
        {
            LowCritical = lowCritical, LowWarning = lowWarning, HighWarning = highWarning, HighCritical = highCritical, Hysteresis = hysteresis,
        };
        options.Defaults.HoldReadings = holdReadings;
        options.Defaults.HoldTime = holdTime;
        return options;
    }

    public static ReadingValidator Validator(ClassificationSettings settings, SensorDirectory directory, TimeProvider time) =>
        new(settings, directory, time, NullLogger<ReadingValidator>.Instance);
}

/// <summary>A receipt that records whether, and how often, it was completed.</summary>
internal sealed class RecordingReceipt : IReadingReceipt
{
    private readonly TaskCompletionSource completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int count;

    public int Count => Volatile.Read(ref count);

    public Task Completed => completed.Task;

    public void Complete()
    {
        if (Interlocked.Increment(ref count) == 1)
        {
            completed.TrySetResult();
        }
    }
}

/// <summary>A reading sink that keeps what it is given and completes each receipt, as the MQTT sink does after publishing.</summary>
internal sealed class CollectingReadingSink : IReadingSink
{
    public ConcurrentQueue<SensorReading> Readings { get; } = new();

    public ValueTask WriteAsync(SensorReading reading, CancellationToken cancellationToken = default)
    {
        Readings.Enqueue(reading);
        reading.Receipt?.Complete();
        return ValueTask.CompletedTask;
    }
}

/// <summary>An alert sink that records every notification it is given.</summary>
internal sealed class RecordingAlertSink(string name = "recording") : IAlertSink
{
    private readonly ConcurrentQueue<AlertNotification> notifications = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> waiters = [];

    public string Name => name;

    public Task WhenCountAsync(int count)
    {
        lock (waiters)
        {
            if (notifications.Count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((count, reached));
            return reached.Task;
        }
    }

    public IReadOnlyList<AlertNotification> Notifications => [.. notifications];

    public ValueTask PublishAsync(AlertNotification notification, CancellationToken cancellationToken = default)
    {
        lock (waiters)
        {
            notifications.Enqueue(notification);
            foreach (var waiter in waiters.Where(w => notifications.Count >= w.Count))
            {
                waiter.Reached.TrySetResult();
            }
        }

        return ValueTask.CompletedTask;
    }
}
