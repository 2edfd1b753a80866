using System.Collections.Concurrent;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Devices;
using Floxide.Edge.Gateway.Workflow;
using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;
using Floxide.Edge.Sensors;
using Floxide.Edge.Simulation;
using Floxide.Edge.Workflow;
using Microsoft.Extensions.Logging.Abstractions;

namespace Floxide.Edge.Gateway.Tests.Workflow;

/// <summary>
/// The simulated sensors, wired to the real gateway workflow as the host wires them :
/// every sensor's readings must come out at the reading sink, and none may be dead-lettered on the way.
/// </summary>
public sealed class SimulatedSensorsEndToEndTests : IDisposable
{
    private readonly DirectoryInfo state = Directory.CreateTempSubdirectory("floxide-e2e-");

    public void Dispose() => state.Delete(recursive: true);

    [Fact]
    public async Task RunAsync_OnBoardChipsAndSyntheticFleet_EverySensorsReadingsReachTheSink()
    {
        var directory = new SensorDirectory();
        var sink = new CollectingSink();
        var workflow = new GatewayWorkflow(
            new ClassificationOptions(),
            new AlertOptions { StateFile = Path.Combine(state.FullName, "alerts.json") },
            new ReportingOptions(),
            new GatewayWorkflowOptions(),
            directory,
            sink,
            [],
            TimeProvider.System,
            NullLoggerFactory.Instance);
        await using var disposeWorkflow = workflow;
        var simulation = new SimulationOptions
        {
            // The I²C and 1-Wire chips: the DHT's bit timing is tested on its own, robustly, in the sensors' tests.
            OnBoard = ["bme280", "sht3x", "aht20", "ds18b20"],
            FleetSensors = 6,
            FleetInterval = TimeSpan.FromMilliseconds(100),
            SpikeProbability = 0,
            DropoutProbability = 0,
        };
        using var onBoard = new OnBoardSimulation(simulation, DeviceCatalog.LoadEmbedded(), directory,
            workflow.Events, TimeProvider.System, NullLogger<SensorPoller>.Instance);
        var fleet = new SimulatedFleetSource(new SyntheticFleet(simulation), directory, workflow.Events, TimeProvider.System);
        var expected = directory.All.Select(sensor => sensor.Id).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(10, expected.Count);

        using var stop = new CancellationTokenSource();
        var run = workflow.RunAsync(stop.Token);
        var inputs = Task.WhenAll(onBoard.RunAsync(stop.Token), fleet.RunAsync(stop.Token));
        // Every sensor at least once, and the fleet's several times over.
        await sink.WaitForAsync(readings => expected.All(id => readings.ContainsKey(id)) && readings.Where(r => r.Key.StartsWith("sim-0", StringComparison.Ordinal)).All(r => r.Value >= 3))
            .WaitAsync(TimeSpan.FromSeconds(60));

        await stop.CancelAsync();
        await inputs.WaitAsync(TimeSpan.FromSeconds(30));
        workflow.Events.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, workflow.DeadLetters);
        Assert.Equal(0, workflow.Events.DroppedReadings);
        Assert.All(sink.Received, reading => Assert.True(reading.TryGetValue(Quantity.Temperature, out var celsius) && celsius is > -40 and < 85, reading.ToString()));
    }

    private sealed class CollectingSink : IReadingSink
    {
        private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<SensorReading> received = new();
        private readonly Lock gate = new();
        private (Func<IReadOnlyDictionary<string, int>, bool> Done, TaskCompletionSource Signal)? waiter;

        public IReadOnlyCollection<SensorReading> Received => received;

        public Task WaitForAsync(Func<IReadOnlyDictionary<string, int>, bool> done)
        {
            lock (gate)
            {
                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiter = (done, signal);
                if (done(counts))
                {
                    signal.TrySetResult();
                }

                return signal.Task;
            }
        }

        public ValueTask WriteAsync(SensorReading reading, CancellationToken cancellationToken = default)
        {
            received.Enqueue(reading);
            counts.AddOrUpdate(reading.SensorId, 1, static (_, count) => count + 1);
            lock (gate)
            {
                if (waiter is { } current && current.Done(counts))
                {
                    current.Signal.TrySetResult();
                }
            }

            reading.Receipt?.Complete();
            return ValueTask.CompletedTask;
        }
    }
}
