using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Floxide.Events;

namespace Floxide.Edge.Benchmarks.Engine;

/// <summary>
/// One event through source → classifier → alert check → back to source, against a baseline that passes the same
/// events through a raw bounded channel and runs the same classification and alert logic inline. The ratio is
/// the engine's overhead; allocations are per event (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private const int EventsPerOperation = 10_000;
    private const int Sensors = 16;

    private readonly AlertState rawState = new(Sensors);
    private readonly AlertState workflowState = new(Sensors);
    private BenchmarkReading[] readings = [];
    private Channel<BenchmarkReading> rawChannel = null!;
    private ChannelEventSource<BenchmarkReading> source = null!;
    private EventDrivenWorkflow<BenchmarkReading, AlertState, BenchmarkAction> workflow = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        readings = [.. Enumerable.Range(0, EventsPerOperation)
            .Select(i => new BenchmarkReading(i % Sensors, 15 + (random.NextDouble() * 30), i))];
        var options = new BoundedChannelOptions(EventsPerOperation + 1) { SingleReader = true, SingleWriter = false };
        rawChannel = Channel.CreateBounded<BenchmarkReading>(options);
        source = new ChannelEventSource<BenchmarkReading>("readings", EventsPerOperation + 1, ChannelFullMode.Wait);
        workflow = new EventDrivenWorkflowBuilder<BenchmarkReading, AlertState, BenchmarkAction>("benchmark")
            .AddSource(source, BenchmarkAction.Next)
            .AddProcessor(new ClassifierNode())
            .AddProcessor(new AlertCheckNode())
            .Route("readings", BenchmarkAction.Next, "classifier")
            .Route("classifier", BenchmarkAction.Normal, "alert-check")
            .Route("classifier", BenchmarkAction.Warning, "alert-check")
            .Route("classifier", BenchmarkAction.Critical, "alert-check")
            .Route("alert-check", BenchmarkAction.Done, "readings")
            .TerminateOn(BenchmarkAction.Terminate)
            .Build();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerOperation)]
    public async Task<int> RawChannel()
    {
        var writer = rawChannel.Writer;
        foreach (var reading in readings)
        {
            writer.TryWrite(reading);
        }

        var reader = rawChannel.Reader;
        var seen = 0;
        while (seen < EventsPerOperation && await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var reading))
            {
                rawState.Check(reading, Classifier.Classify(reading));
                seen++;
            }
        }

        return seen;
    }

    [Benchmark(OperationsPerInvoke = EventsPerOperation)]
    public async Task<long> Workflow()
    {
        foreach (var reading in readings)
        {
            source.TryWrite(reading);
        }

        source.TryWrite(BenchmarkReading.Stop);
        var result = await workflow.ExecuteAsync(workflowState);
        return result.EventsProcessed;
    }
}

public enum BenchmarkAction
{
    Next,
    Normal,
    Warning,
    Critical,
    Done,
    Terminate,
}

public readonly record struct BenchmarkReading(int SensorIndex, double Celsius, long Sequence)
{
    public static BenchmarkReading Stop { get; } = new(-1, double.NaN, -1);
}

public static class Classifier
{
    public static BenchmarkAction Classify(in BenchmarkReading reading) => reading.Celsius switch
    {
        >= 40 => BenchmarkAction.Critical,
        >= 30 => BenchmarkAction.Warning,
        _ => BenchmarkAction.Normal,
    };
}

/// <summary>Per-sensor alert state: counts transitions into and out of an alerting class.</summary>
public sealed class AlertState(int sensors)
{
    private readonly BenchmarkAction[] current = new BenchmarkAction[sensors];

    public long Transitions { get; private set; }

    public void Check(in BenchmarkReading reading, BenchmarkAction classification)
    {
        ref var state = ref current[reading.SensorIndex];
        if (state != classification)
        {
            state = classification;
            Transitions++;
        }
    }
}

public sealed class ClassifierNode : IEventProcessor<BenchmarkReading, AlertState, BenchmarkAction>
{
    public string Id => "classifier";

    public ValueTask<BenchmarkAction> ProcessEventAsync(BenchmarkReading @event, AlertState context, CancellationToken cancellationToken = default) =>
        new(@event.SensorIndex < 0 ? BenchmarkAction.Terminate : Classifier.Classify(@event));
}

public sealed class AlertCheckNode : IEventProcessor<BenchmarkReading, AlertState, BenchmarkAction>
{
    public string Id => "alert-check";

    public ValueTask<BenchmarkAction> ProcessEventAsync(BenchmarkReading @event, AlertState context, CancellationToken cancellationToken = default)
    {
        context.Check(@event, Classifier.Classify(@event));
        return new(BenchmarkAction.Done);
    }
}
