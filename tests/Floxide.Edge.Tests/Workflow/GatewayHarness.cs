using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;
using Floxide.Edge.Sensors;
using Floxide.Edge.Workflow;
using Floxide.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Workflow;

/// <summary>
/// Runs the real gateway workflow on a fake clock: events are written in time order, each reading is awaited until
/// its receipt completes (published, skipped, invalid or dead-lettered), and each timer tick until it is processed,
/// so what the test sees never depends on thread timing.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource stop = new();
    private readonly Lock tickGate = new();
    private (DateTimeOffset Due, TaskCompletionSource Done)? tickWaiter;
    private Task<EventWorkflowResult>? run;
    private TimeSpan period;
    private DateTimeOffset nextTick;

    public GatewayHarness(FakeTimeProvider time, string stateDirectory, SensorDirectory sensors, ClassificationOptions classification,
        AlertOptions? alerts = null, ReportingOptions? reporting = null, IReadingSink? readingSink = null, IAggregateSink? aggregateSink = null,
        GatewayWorkflowOptions? workflow = null)
    {
        Time = time;
        Sensors = sensors;
        alerts ??= new AlertOptions();
        alerts.StateFile = Path.Combine(stateDirectory, "alerts.json");
        alerts.Delivery.RetryDelay = TimeSpan.Zero;
        ReadingSink = readingSink ?? new CollectingReadingSink();
        Gateway = new GatewayWorkflow(classification, alerts, reporting ?? new ReportingOptions(), workflow ?? new GatewayWorkflowOptions(), sensors,
            ReadingSink, [AlertLog], time, NullLoggerFactory.Instance, aggregateSink: aggregateSink);
        Gateway.TickProcessed += OnTick;
    }

    public FakeTimeProvider Time { get; }

    public SensorDirectory Sensors { get; }

    public GatewayWorkflow Gateway { get; }

    public IReadingSink ReadingSink { get; }

    public RecordingAlertSink AlertLog { get; } = new();

    public void Start(TimeSpan tickPeriod)
    {
        period = tickPeriod;
        nextTick = Time.GetUtcNow() + tickPeriod;
        run = Gateway.RunAsync(stop.Token);
    }

    /// <summary>Moves the clock to <paramref name="at"/> from tick to tick of the gateway's timer, waiting for each tick to be processed.</summary>
    public async Task AdvanceToAsync(DateTimeOffset at)
    {
        while (nextTick <= at)
        {
            var due = nextTick;
            nextTick += period;
            Task processed;
            lock (tickGate)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                tickWaiter = (due, done);
                processed = done.Task;
            }

            Time.Advance(due - Time.GetUtcNow());
            await processed.WaitAsync(Patience);
        }

        if (Time.GetUtcNow() < at)
        {
            Time.Advance(at - Time.GetUtcNow());
        }
    }

    /// <summary>Writes an event; a reading is awaited until the gateway is done with it.</summary>
    public async Task SendAsync(GatewayEvent @event)
    {
        if (@event is SensorReading reading)
        {
            var receipt = new RecordingReceipt();
            var tracked = new SensorReading(reading.SensorId, reading.Timestamp, reading.Sequence, reading.Source)
            {
                Receipt = receipt,
                Temperature = reading.Temperature,
                Humidity = reading.Humidity,
                Pressure = reading.Pressure,
                Quality = reading.Quality,
                QualityReason = reading.QualityReason,
            };
            await Gateway.Events.WriteAsync(tracked).AsTask().WaitAsync(Patience);
            await receipt.Completed.WaitAsync(Patience);
            return;
        }

        await Gateway.Events.WriteAsync(@event).AsTask().WaitAsync(Patience);
    }

    public async Task<EventWorkflowResult> StopAsync()
    {
        Gateway.Events.Complete();
        var result = await run!.WaitAsync(Patience);
        await Gateway.FlushAsync().WaitAsync(Patience);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (run is not null)
        {
            await run.WaitAsync(Patience);
        }

        await Gateway.DisposeAsync().AsTask().WaitAsync(Patience);
        stop.Dispose();
    }

    private void OnTick(DateTimeOffset at)
    {
        lock (tickGate)
        {
            if (tickWaiter is { } waiter && at >= waiter.Due)
            {
                tickWaiter = null;
                waiter.Done.TrySetResult();
            }
        }
    }
}
