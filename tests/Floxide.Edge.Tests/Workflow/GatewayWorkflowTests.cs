using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;
using Floxide.Edge.Sensors;
using Floxide.Edge.Workflow;
using Floxide.Events;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Workflow;

public sealed class GatewayWorkflowTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new(EdgeTestKit.Start);
    private readonly DirectoryInfo stateDirectory = Directory.CreateTempSubdirectory("floxide-gateway-");
    private readonly SensorDirectory sensors = EdgeTestKit.Directory(EdgeTestKit.Bme280("a"));

    public void Dispose() => stateDirectory.Delete(recursive: true);

    private GatewayHarness Harness(ClassificationOptions? classification = null, ReportingOptions? reporting = null, IReadingSink? sink = null) =>
        new(time, stateDirectory.FullName, sensors, classification ?? EdgeTestKit.Temperature(), reporting: reporting, readingSink: sink);

    private SensorReading At(int second, double? celsius = null, double? humidity = null) =>
        EdgeTestKit.Reading("a", EdgeTestKit.Start.AddSeconds(second), celsius, humidity);

    [Fact]
    public async Task RunAsync_InvalidReadings_AreCountedDroppedAndAcknowledged()
    {
        await using var harness = Harness();
        harness.Start(new AlertOptions().CheckInterval);

        await harness.SendAsync(At(0, 20));
        await harness.SendAsync(At(0, double.NaN));
        await harness.SendAsync(At(0, 120));
        await harness.SendAsync(EdgeTestKit.Reading("ghost", EdgeTestKit.Start, 20));
        var result = await harness.StopAsync();

        Assert.Equal(EventWorkflowOutcome.SourceCompleted, result.Outcome);
        Assert.Equal(4, result.EventsProcessed);
        Assert.Single(((CollectingReadingSink)harness.ReadingSink).Readings);
        Assert.Equal(3, harness.Gateway.Validator.Counts.Invalid);
        Assert.Equal((1, 1, 1), (harness.Gateway.Validator.Counts[InvalidReason.NotANumber], harness.Gateway.Validator.Counts[InvalidReason.OutOfRange], harness.Gateway.Validator.Counts[InvalidReason.UnknownSensor]));
    }

    [Fact]
    public async Task RunAsync_CalibrationPushesReadingOutOfRange_IsDroppedCountedAndAcknowledged()
    {
        var classification = EdgeTestKit.Temperature();
        classification.Sensors["a"] = new SensorClassificationOptions { Calibration = { ["temperature"] = new CalibrationOptions { Offset = 2 } } };
        await using var harness = Harness(classification);
        harness.Start(new AlertOptions().CheckInterval);

        await harness.SendAsync(At(0, 20));
        await harness.SendAsync(At(1, 84));
        await harness.StopAsync();

        Assert.Equal([22.0], ((CollectingReadingSink)harness.ReadingSink).Readings.Select(r => r.Temperature!.Value.DegreesCelsius));
        Assert.Equal(1, harness.Gateway.Validator.Counts[InvalidReason.OutOfRange]);
        Assert.Empty(harness.AlertLog.Notifications);
    }

    [Fact]
    public async Task RunAsync_ReadingFilteredByDeadband_IsAcknowledgedAndStillSeenByAlerts()
    {
        var reporting = new ReportingOptions { Heartbeat = TimeSpan.Zero, Deadbands = { ["temperature"] = new DeadbandOptions { Absolute = 100 } } };
        await using var harness = Harness(EdgeTestKit.Temperature(holdReadings: 2), reporting);
        harness.Start(new AlertOptions().CheckInterval);

        await harness.SendAsync(At(0, 20));
        await harness.SendAsync(At(0, 29));
        await harness.SendAsync(At(0, 29.1));
        await harness.SendAsync(At(0, 29.2));
        await harness.StopAsync();

        var published = ((CollectingReadingSink)harness.ReadingSink).Readings.Select(r => r.Temperature!.Value.DegreesCelsius);
        Assert.Equal([20, 29.1], published);
        Assert.Equal([AlertTransition.Raised], harness.AlertLog.Notifications.Select(n => n.Transition));
    }

    [Fact]
    public async Task RunAsync_Aggregates_ClosedByLaterReadingOrByTick_ReachTheAggregateSink()
    {
        var aggregates = new CollectingAggregateSink();
        var reporting = new ReportingOptions { Aggregates = { Interval = TimeSpan.FromMinutes(1) } };
        await using var harness = new GatewayHarness(time, stateDirectory.FullName, sensors, EdgeTestKit.Temperature(), reporting: reporting, aggregateSink: aggregates);
        var period = new AlertOptions().CheckInterval;
        harness.Start(period);

        foreach (var (second, celsius) in new[] { (10, 20.0), (40, 22), (70, 30) })
        {
            await harness.AdvanceToAsync(EdgeTestKit.Start.AddSeconds(second));
            await harness.SendAsync(At(second, celsius));
        }

        await harness.AdvanceToAsync(EdgeTestKit.Start.AddSeconds(125));
        await harness.StopAsync();

        Assert.Equal(
        [
            new SensorAggregate("a", Quantity.Temperature, EdgeTestKit.Start, EdgeTestKit.Start.AddMinutes(1), 2, 20, 22, 21),
            new SensorAggregate("a", Quantity.Temperature, EdgeTestKit.Start.AddMinutes(1), EdgeTestKit.Start.AddMinutes(2), 1, 30, 30, 30),
        ], aggregates.Aggregates);
    }

    [Fact]
    public async Task Reconfigure_AggregatesTurnedOff_SendsTheOpenWindowsAtTheNextTick()
    {
        var aggregates = new CollectingAggregateSink();
        var reporting = new ReportingOptions { Aggregates = { Interval = TimeSpan.FromMinutes(1) } };
        await using var harness = new GatewayHarness(time, stateDirectory.FullName, sensors, EdgeTestKit.Temperature(), reporting: reporting, aggregateSink: aggregates);
        var period = new AlertOptions().CheckInterval;
        harness.Start(period);
        await harness.SendAsync(At(1, 20));
        await harness.SendAsync(At(2, 22));

        harness.Gateway.Reconfigure(reporting: new ReportingOptions());
        await harness.AdvanceToAsync(EdgeTestKit.Start + period);
        await harness.SendAsync(At(6, 30));
        await harness.StopAsync();

        Assert.Equal([new SensorAggregate("a", Quantity.Temperature, EdgeTestKit.Start, EdgeTestKit.Start.AddMinutes(1), 2, 20, 22, 21)], aggregates.Aggregates);
    }

    [Fact]
    public async Task RunAsync_FaultsAndStatusChanges_RouteToTheirProcessors()
    {
        await using var harness = Harness();
        harness.Start(new AlertOptions().CheckInterval);

        await harness.SendAsync(new SensorFault("a", EdgeTestKit.Start, SensorFaultKind.BusError, "NACK at 0x76", 1));
        await harness.SendAsync(new SensorStatusChanged("a", EdgeTestKit.Start, SensorStatus.Offline, "3 faults in a row"));
        await harness.SendAsync(new SensorStatusChanged("a", EdgeTestKit.Start, SensorStatus.Online, "read ok"));
        await harness.StopAsync();

        Assert.Equal(
            [(AlertTransition.Raised, "a/offline"), (AlertTransition.Cleared, "a/offline")],
            harness.AlertLog.Notifications.Select(n => (n.Transition, n.Alert.Id)));
        Assert.Equal(0, harness.Gateway.DeadLetters);
    }

    [Fact]
    public async Task RunAsync_ReadingSinkThrows_DeadLettersThatReadingAndCarriesOn()
    {
        var sink = new ThrowOnceSink();
        await using var harness = Harness(sink: sink);
        harness.Start(new AlertOptions().CheckInterval);

        await harness.SendAsync(At(0, 20));
        await harness.SendAsync(At(0, 21));
        var result = await harness.StopAsync();

        Assert.Equal(EventWorkflowOutcome.SourceCompleted, result.Outcome);
        Assert.Equal(1, harness.Gateway.DeadLetters);
        Assert.Equal([21.0], sink.Written);
    }

    [Fact]
    public async Task RunAsync_EventOfUnknownType_IsDeadLetteredAndTheGatewayCarriesOn()
    {
        await using var harness = Harness();
        harness.Start(new AlertOptions().CheckInterval);

        await harness.SendAsync(new UnknownEvent(EdgeTestKit.Start));
        await harness.SendAsync(At(0, 20));
        var result = await harness.StopAsync();

        Assert.Equal(EventWorkflowOutcome.SourceCompleted, result.Outcome);
        Assert.Equal(1, harness.Gateway.DeadLetters);
        Assert.Single(((CollectingReadingSink)harness.ReadingSink).Readings);
    }

    [Fact]
    public async Task SensorRemoved_ClearsItsAlertsSendsItsOpenWindowsAndLeavesNoStateBehind()
    {
        var directory = EdgeTestKit.Directory(EdgeTestKit.Bme280("a"), EdgeTestKit.Bme280("b"));
        var aggregates = new CollectingAggregateSink();
        var reporting = new ReportingOptions
        {
            Aggregates = { Interval = TimeSpan.FromMinutes(1) },
            Smoothing = { Method = SmoothingMethod.MovingAverage, Window = 3 },
        };
        var classification = EdgeTestKit.Temperature();
        classification.Defaults.StuckReadings = 5;
        await using var harness = new GatewayHarness(time, stateDirectory.FullName, directory, classification, reporting: reporting, aggregateSink: aggregates);
        harness.Start(new AlertOptions().CheckInterval);
        await harness.SendAsync(EdgeTestKit.Reading("a", EdgeTestKit.Start, 33));
        await harness.SendAsync(EdgeTestKit.Reading("b", EdgeTestKit.Start, 20));
        Assert.Equal((2, 2, 2, 2, 2, 2), harness.Gateway.TrackedSensors);

        Assert.True(directory.Remove("a"));
        // The queue is first in, first out: once b's next reading is done, a's removal has been processed.
        await harness.SendAsync(EdgeTestKit.Reading("b", EdgeTestKit.Start, 20));
        await harness.SendAsync(EdgeTestKit.Reading("a", EdgeTestKit.Start, 40));
        await harness.StopAsync();

        Assert.Equal(
            [(AlertTransition.Raised, "a/temperature"), (AlertTransition.Cleared, "a/temperature")],
            harness.AlertLog.Notifications.Select(n => (n.Transition, n.Alert.Id)));
        Assert.Equal("a was removed from the configuration; its alert ends with it", harness.AlertLog.Notifications[1].Alert.Message);
        Assert.Empty(harness.Gateway.Alerts.Active);
        Assert.Equal((1, 1, 1, 1, 1, 1), harness.Gateway.TrackedSensors);
        Assert.Equal([new SensorAggregate("a", Quantity.Temperature, EdgeTestKit.Start, EdgeTestKit.Start.AddMinutes(1), 1, 33, 33, 33)], aggregates.Aggregates);
        Assert.Equal(1, harness.Gateway.Validator.Counts[InvalidReason.UnknownSensor]);
        Assert.Equal(0, harness.Gateway.DeadLetters);
    }

    [Fact]
    public async Task Reconfigure_InvalidOptions_AppliesNothing_ValidOnesKeepActiveAlerts()
    {
        await using var harness = Harness();
        harness.Start(new AlertOptions().CheckInterval);
        await harness.SendAsync(At(0, 29));

        Assert.Throws<ArgumentException>(() => harness.Gateway.Reconfigure(
            EdgeTestKit.Temperature(highWarning: 26, highCritical: 30), new AlertOptions { StaleFactor = 0 }));
        harness.Gateway.Reconfigure(EdgeTestKit.Temperature(highWarning: 26, highCritical: 30), new AlertOptions { StateFile = "ignored.json" });
        await harness.SendAsync(At(1, 29));
        await harness.SendAsync(At(2, 30));
        await harness.StopAsync();

        Assert.Equal(
            [(AlertTransition.Raised, Severity.Warning), (AlertTransition.Escalated, Severity.Critical)],
            harness.AlertLog.Notifications.Select(n => (n.Transition, n.Alert.Severity)));
        Assert.Equal(30, harness.AlertLog.Notifications[1].Alert.Threshold);
    }

    [Fact]
    public async Task Events_ReadingSlotsFull_RefuseReadingsWhileControlEventsStillGetIn()
    {
        using var channel = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 2, ControlCapacity = 3 });
        var writer = channel;

        Assert.True(writer.TryWriteReading(At(0, 20)));
        Assert.True(writer.TryWriteReading(At(1, 20)));
        Assert.False(writer.TryWriteReading(At(2, 20)));
        var status = writer.WriteAsync(new SensorStatusChanged("a", EdgeTestKit.Start, SensorStatus.Offline, "gone"));
        var tick = writer.WriteAsync(new GatewayTick(EdgeTestKit.Start));

        Assert.True(status.IsCompletedSuccessfully);
        Assert.True(tick.IsCompletedSuccessfully);
        Assert.Equal(1, channel.DroppedReadings);
        Assert.Equal(2, channel.QueuedReadings);
        var waiting = writer.WriteReadingAsync(At(3, 20));
        Assert.False(waiting.IsCompleted);

        Assert.IsType<SensorReading>(await channel.WaitForEventAsync().AsTask().WaitAsync(Patience));
        await waiting.AsTask().WaitAsync(Patience);
        Assert.Equal(4, channel.QueuedEvents);
        Assert.Equal(2, channel.QueuedReadings);
    }

    [Fact]
    public void TryWriteReading_Refused_IsCountedUnderTheSensorIdOrUnknown()
    {
        using var meter = new Meter("test");
        using var dropped = new MetricCollector<long>(meter, "floxide.readings.dropped");
        using var channel = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 1, ControlCapacity = 1 }, meter, sensors);
        Assert.True(channel.TryWriteReading(At(0, 20)));

        Assert.False(channel.TryWriteReading(At(1, 20)));
        Assert.False(channel.TryWriteReading(EdgeTestKit.Reading("ghost-1", EdgeTestKit.Start, 20)));
        Assert.False(channel.TryWriteReading(EdgeTestKit.Reading("ghost-2", EdgeTestKit.Start, 20)));

        Assert.Equal(["a", "unknown", "unknown"], dropped.GetMeasurementSnapshot().Select(m => (string?)m.Tags["sensor.id"]));
    }

    [Fact]
    public async Task WaitForEventAsync_EveryReadingTaken_FreesItsSlotAndNeverMore()
    {
        using var channel = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 1, ControlCapacity = 1 });

        for (var i = 0; i < 3; i++)
        {
            Assert.True(channel.TryWriteReading(At(i, 20)));
            Assert.False(channel.TryWriteReading(At(i, 21)));
            await channel.WriteAsync(new GatewayTick(EdgeTestKit.Start)).AsTask().WaitAsync(Patience);
            Assert.IsType<SensorReading>(await channel.WaitForEventAsync().AsTask().WaitAsync(Patience));
            Assert.IsType<GatewayTick>(await channel.WaitForEventAsync().AsTask().WaitAsync(Patience));
            Assert.Equal(0, channel.QueuedReadings);
        }

        Assert.Equal(3, channel.DroppedReadings);
    }

    [Fact]
    public async Task RunAsync_ReadingsWrittenThroughTheWriter_ReachTheReadingSinkWithoutDeadLetters()
    {
        var sink = new CollectingReadingSink();
        await using var harness = new GatewayHarness(time, stateDirectory.FullName, sensors, EdgeTestKit.Temperature(),
            reporting: new ReportingOptions { Heartbeat = TimeSpan.Zero }, readingSink: sink,
            workflow: new GatewayWorkflowOptions { ReadingCapacity = 2, ControlCapacity = 1 });
        harness.Start(new AlertOptions().CheckInterval);

        // Six readings through two reading slots: each way of writing must free its slot once the workflow takes it.
        var receipts = new List<RecordingReceipt>();
        for (var i = 0; i < 6; i++)
        {
            var receipt = new RecordingReceipt();
            receipts.Add(receipt);
            var reading = EdgeTestKit.Reading("a", EdgeTestKit.Start, 20 + i, sequence: i + 1, receipt: receipt);
            await ProduceAsync(harness.Gateway.Events, reading, i % 3);
            await receipt.Completed.WaitAsync(Patience);
        }

        await harness.StopAsync();

        Assert.Equal([20.0, 21, 22, 23, 24, 25], sink.Readings.Select(r => r.Temperature!.Value.DegreesCelsius));
        Assert.All(receipts, receipt => Assert.Equal(1, receipt.Count));
        Assert.Equal(0, harness.Gateway.DeadLetters);
        Assert.Equal(0, harness.Gateway.Events.DroppedReadings);
        Assert.Equal(0, harness.Gateway.Events.QueuedReadings);
    }

    [Fact]
    public async Task ToMermaid_DrawsTheReadingPathAndTheControlEvents()
    {
        await using var harness = Harness();

        var mermaid = harness.Gateway.ToMermaid();

        foreach (var edge in new[]
                 {
                     "|\"Next\"|", "|\"Reading\"|", "|\"Valid\"|", "|\"Calibrated\"|", "|\"Warning\"|", "|\"Checked\"|", "|\"Publish\"|", "|\"Skip\"|",
                     "|\"Fault\"|", "|\"Status\"|", "|\"Tick\"|", "|\"Invalid\"|",
                 })
        {
            Assert.Contains(edge, mermaid, StringComparison.Ordinal);
        }

        Assert.Contains("([\"events\"])", mermaid, StringComparison.Ordinal);
        Assert.Contains("[\"publish-filter\"]", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToMermaid_IsTheGraphShownInDocsAlerts()
    {
        await using var harness = Harness();
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Floxide.Edge.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var page = await File.ReadAllTextAsync(Path.Combine(root.FullName, "docs", "alerts.md"));

        Assert.Contains("```mermaid\n" + harness.Gateway.ToMermaid().ReplaceLineEndings("\n") + "```", page.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    /// <summary>Writes as a producer does, seeing only the writer contract: 0 gives way, 1 waits for a slot, 2 is the general write.</summary>
    [SuppressMessage("Performance", "CA1859", Justification = "Producers see only the contract; so does this one.")]
    private static async Task ProduceAsync(IGatewayEventWriter writer, SensorReading reading, int way)
    {
        switch (way)
        {
            case 0:
                Assert.True(writer.TryWriteReading(reading));
                break;
            case 1:
                await writer.WriteReadingAsync(reading).AsTask().WaitAsync(Patience);
                break;
            default:
                await writer.WriteAsync(reading).AsTask().WaitAsync(Patience);
                break;
        }
    }

    private sealed class CollectingAggregateSink : IAggregateSink
    {
        public List<SensorAggregate> Aggregates { get; } = [];

        public ValueTask WriteAsync(SensorAggregate aggregate, CancellationToken cancellationToken = default)
        {
            Aggregates.Add(aggregate);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class UnknownEvent(DateTimeOffset timestamp) : GatewayEvent(timestamp);

    private sealed class ThrowOnceSink : IReadingSink
    {
        private bool thrown;

        public List<double> Written { get; } = [];

        public ValueTask WriteAsync(SensorReading reading, CancellationToken cancellationToken = default)
        {
            if (!thrown)
            {
                thrown = true;
                throw new IOException("outbox disk full");
            }

            Written.Add(reading.Temperature!.Value.DegreesCelsius);
            reading.Receipt?.Complete();
            return ValueTask.CompletedTask;
        }
    }
}
