using System.Globalization;
using Floxide.Core.Graph;
using Floxide.Events;

// Until the gateway host lands, `floxide-edge` runs the engine's sample: ADR-0009's temperature monitor, with three
// simulated sensors feeding one channel source, a classifier, and a handler per class, for a few seconds.
var duration = args.Length > 0 ? TimeSpan.FromSeconds(double.Parse(args[0], CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(5);
var readings = new ChannelEventSource<Reading>("readings", capacity: 256, ChannelFullMode.Wait);
var workflow = new EventDrivenWorkflowBuilder<Reading, Tally, string>("temperature-monitor")
    .AddSource(readings, emits: "classify")
    .AddProcessor(new Classifier())
    .AddProcessor(new Handler("log-normal", ConsoleColor.Gray))
    .AddProcessor(new Handler("alert-high", ConsoleColor.Yellow))
    .AddProcessor(new Handler("alert-low", ConsoleColor.Cyan))
    .AddProcessor(new Handler("alert-critical", ConsoleColor.Red))
    .Route("readings", "classify", "classifier")
    .Route("classifier", "normal", "log-normal")
    .Route("classifier", "high", "alert-high")
    .Route("classifier", "low", "alert-low")
    .Route("classifier", "critical", "alert-critical")
    .Route("log-normal", "done", "readings")
    .Route("alert-high", "done", "readings")
    .Route("alert-low", "done", "readings")
    .Route("alert-critical", "done", "readings")
    .Build();

Console.WriteLine(MermaidFlowchart.Render(workflow.ToGraph()));
using var stop = new CancellationTokenSource(duration);
string[] sensors = ["greenhouse", "cellar", "attic"];
var producer = Task.Run(async () =>
{
    var random = new Random(42);
    try
    {
        for (var tick = 0; !stop.IsCancellationRequested; tick++)
        {
            foreach (var sensor in sensors)
            {
                var swing = 12 * Math.Sin(tick / 6.0 + sensor.Length);
                await readings.WriteAsync(new Reading(sensor, 21 + swing + random.NextDouble() * 4), stop.Token);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), stop.Token);
        }
    }
    catch (OperationCanceledException)
    {
        readings.Complete();
    }
});

var tally = new Tally();
var result = await workflow.ExecuteAsync(tally, duration + TimeSpan.FromSeconds(1));
await producer;
Console.WriteLine($"Run ended: {result.Outcome} after {result.EventsProcessed} readings; " +
                  string.Join(", ", tally.Counts.Select(pair => $"{pair.Key} {pair.Value}")));

internal sealed record Reading(string SensorId, double Celsius);

internal sealed class Tally
{
    public SortedDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);
}

internal sealed class Classifier : IEventProcessor<Reading, Tally, string>
{
    public string Id => "classifier";

    public ValueTask<string> ProcessEventAsync(Reading @event, Tally context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(@event.Celsius switch
        {
            >= 35 => "critical",
            >= 28 => "high",
            < 12 => "low",
            _ => "normal",
        });
}

internal sealed class Handler(string id, ConsoleColor color) : IEventProcessor<Reading, Tally, string>
{
    public string Id => id;

    public ValueTask<string> ProcessEventAsync(Reading @event, Tally context, CancellationToken cancellationToken = default)
    {
        context.Counts[id] = context.Counts.GetValueOrDefault(id) + 1;
        Console.ForegroundColor = color;
        Console.WriteLine($"{@event.SensorId,-10} {@event.Celsius,6:F1} °C  {id}");
        Console.ResetColor();
        return ValueTask.FromResult("done");
    }
}
