using Microsoft.Extensions.Time.Testing;

namespace Floxide.Events.Tests.Examples;

/// <summary>ADR-0009's own example: temperature readings from several sensors, classified and handled, with shared state.</summary>
public sealed class TemperatureMonitorExampleTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private readonly ChannelEventSource<TemperatureEvent> readings = new("sensors", capacity: 32, ChannelFullMode.Wait);

    private EventDrivenWorkflow<TemperatureEvent, MonitoringContext, TemperatureAction> Monitor() =>
        new EventDrivenWorkflowBuilder<TemperatureEvent, MonitoringContext, TemperatureAction>("temperature-monitor")
            .AddSource(readings, TemperatureAction.Classify)
            .AddProcessor(new TemperatureClassifier(low: 10, high: 30, critical: 40, shutdown: 60))
            .AddProcessor(new TemperatureHandler("normal-handler"))
            .AddProcessor(new TemperatureHandler("high-handler"))
            .AddProcessor(new TemperatureHandler("low-handler"))
            .AddProcessor(new TemperatureHandler("critical-handler"))
            .Route("sensors", TemperatureAction.Classify, "classifier")
            .Route("classifier", TemperatureAction.Normal, "normal-handler")
            .Route("classifier", TemperatureAction.High, "high-handler")
            .Route("classifier", TemperatureAction.Low, "low-handler")
            .Route("classifier", TemperatureAction.Critical, "critical-handler")
            .Route("normal-handler", TemperatureAction.Done, "sensors")
            .Route("high-handler", TemperatureAction.Done, "sensors")
            .Route("low-handler", TemperatureAction.Done, "sensors")
            .Route("critical-handler", TemperatureAction.Done, "sensors")
            .TerminateOn(EventActions.Terminate<TemperatureAction>())
            .WithTimeProvider(time)
            .Build();

    [Fact]
    public async Task SeveralSensors_ReadingsAreClassifiedIntoHandlers_AndTheBoundedRunTimesOut()
    {
        var context = new MonitoringContext(expectedReadings: 12);
        var workflow = Monitor();
        var run = workflow.ExecuteAsync(context, TimeSpan.FromMinutes(5)).AsTask();

        var sensors = new Dictionary<string, double[]>
        {
            ["greenhouse"] = [22, 31, 41, 29],
            ["cellar"] = [9, 11, 8.5, 12],
            ["attic"] = [25, 35, 45, 20],
        };
        await Task.WhenAll(sensors.Select(sensor => Task.Run(async () =>
        {
            foreach (var celsius in sensor.Value)
            {
                await readings.WriteAsync(new TemperatureEvent(sensor.Key, celsius, time.GetUtcNow()));
            }
        })));
        await context.AllSeen;
        time.Advance(TimeSpan.FromMinutes(5));
        var result = await run;

        Assert.Equal(EventWorkflowOutcome.TimedOut, result.Outcome);
        Assert.Equal(12, result.EventsProcessed);
        Assert.Equal(
            new Dictionary<string, int> { ["normal-handler"] = 6, ["high-handler"] = 2, ["low-handler"] = 2, ["critical-handler"] = 2 },
            context.HandledBy);
        Assert.Equal(45, context.MaximumBySensor["attic"]);
        Assert.Equal(["greenhouse 41 °C", "attic 45 °C"], context.CriticalAlerts.Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task ImpossibleReading_TerminatesTheRunAtTheClassifier()
    {
        var context = new MonitoringContext(expectedReadings: 0);
        await readings.WriteAsync(new TemperatureEvent("boiler", 55, time.GetUtcNow()));
        await readings.WriteAsync(new TemperatureEvent("boiler", 75, time.GetUtcNow()));
        await readings.WriteAsync(new TemperatureEvent("boiler", 20, time.GetUtcNow()));

        var result = await Monitor().ExecuteAsync(context, TimeSpan.FromMinutes(5));

        Assert.Equal(new EventWorkflowResult(EventWorkflowOutcome.Terminated, "classifier", 2), result);
        Assert.Equal(["boiler 55 °C"], context.CriticalAlerts);
    }
}

internal sealed record TemperatureEvent(string SensorId, double Celsius, DateTimeOffset Timestamp);

/// <summary>The example's actions, with ADR-0009's conventional termination and timeout actions.</summary>
internal readonly record struct TemperatureAction(string Name) : IEventAction<TemperatureAction>
{
    public static TemperatureAction Classify { get; } = new("classify");

    public static TemperatureAction Normal { get; } = new("normal");

    public static TemperatureAction High { get; } = new("high");

    public static TemperatureAction Low { get; } = new("low");

    public static TemperatureAction Critical { get; } = new("critical");

    public static TemperatureAction Done { get; } = new("done");

    public static TemperatureAction Terminate { get; } = new("terminate");

    public static TemperatureAction Timeout { get; } = new("timeout");

    public override string ToString() => Name;
}

internal sealed class MonitoringContext(int expectedReadings)
{
    private readonly TaskCompletionSource allSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int seen;

    public Task AllSeen => allSeen.Task;

    public Dictionary<string, double> MaximumBySensor { get; } = [];

    public Dictionary<string, int> HandledBy { get; } = [];

    public List<string> CriticalAlerts { get; } = [];

    public void Record(TemperatureEvent reading, string handler)
    {
        MaximumBySensor[reading.SensorId] = Math.Max(MaximumBySensor.GetValueOrDefault(reading.SensorId, double.MinValue), reading.Celsius);
        HandledBy[handler] = HandledBy.GetValueOrDefault(handler) + 1;
        if (++seen == expectedReadings)
        {
            allSeen.SetResult();
        }
    }
}

internal sealed class TemperatureClassifier(double low, double high, double critical, double shutdown)
    : IEventProcessor<TemperatureEvent, MonitoringContext, TemperatureAction>
{
    public string Id => "classifier";

    public ValueTask<TemperatureAction> ProcessEventAsync(
        TemperatureEvent @event, MonitoringContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(@event.Celsius switch
        {
            var c when c >= shutdown => TemperatureAction.Terminate,
            var c when c >= critical => TemperatureAction.Critical,
            var c when c >= high => TemperatureAction.High,
            var c when c < low => TemperatureAction.Low,
            _ => TemperatureAction.Normal,
        });
}

internal sealed class TemperatureHandler(string id) : IEventProcessor<TemperatureEvent, MonitoringContext, TemperatureAction>
{
    public string Id => id;

    public ValueTask<TemperatureAction> ProcessEventAsync(
        TemperatureEvent @event, MonitoringContext context, CancellationToken cancellationToken = default)
    {
        context.Record(@event, id);
        if (id == "critical-handler")
        {
            context.CriticalAlerts.Add($"{@event.SensorId} {@event.Celsius} °C");
        }

        return ValueTask.FromResult(TemperatureAction.Done);
    }
}
