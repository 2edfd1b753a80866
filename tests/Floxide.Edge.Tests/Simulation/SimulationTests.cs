using Floxide.Edge.Workflow;
using System.Buffers;
using System.Text.Json;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Simulation;
using Floxide.Edge.Tests.Support;
using Floxide.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Simulation;

public sealed class SimulationTests
{
    private static readonly DateTimeOffset Midnight = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ScheduleAfter_TakenInUnevenSteps_YieldsEverySensorsSlotsOnceInTimeOrder()
    {
        var fleet = new SyntheticFleet(new SimulationOptions { Seed = 3, FleetSensors = 5, FleetInterval = TimeSpan.FromSeconds(10) });
        var schedule = fleet.ScheduleAfter(Midnight);
        var taken = new List<SyntheticSample>();
        var until = Midnight;
        for (var step = 1; until < Midnight.AddMinutes(10); step = step % 13 + 1)
        {
            until = until.AddSeconds(step);
            while (schedule.TryTake(until, out var sample))
            {
                taken.Add(sample);
            }

            Assert.True(schedule.NextDue > until);
        }

        IEnumerable<SyntheticSample> Slots(int index, long firstSlot)
        {
            for (var slot = firstSlot; fleet.Sample(index, slot).Timestamp <= until; slot++)
            {
                yield return fleet.Sample(index, slot);
            }
        }

        // Worked out per sensor from its slots, independently of the schedule's queue.
        var expected = Enumerable.Range(0, 5)
            .SelectMany(index => Slots(index, fleet.SampleAt(index, Midnight).Sequence))
            .OrderBy(sample => sample.SensorId, StringComparer.Ordinal).ThenBy(sample => sample.Sequence);
        Assert.Equal(expected, taken.OrderBy(sample => sample.SensorId, StringComparer.Ordinal).ThenBy(sample => sample.Sequence));
        Assert.Equal(taken.Select(sample => sample.Timestamp).Order(), taken.Select(sample => sample.Timestamp));
        Assert.Equal(DateTimeOffset.MaxValue, new SyntheticFleet(new SimulationOptions { FleetSensors = 0 }).ScheduleAfter(Midnight).NextDue);
    }

    [Fact]
    public void SyntheticFleet_SameSeed_SameValuesInAnyOrder_OtherSeed_OtherValues()
    {
        var options = new SimulationOptions { Seed = 7, FleetSensors = 3 };
        var forward = new SyntheticFleet(options).Between(Midnight, Midnight.AddHours(1)).ToList();
        var fleet = new SyntheticFleet(options);
        var late = fleet.Between(Midnight.AddMinutes(30), Midnight.AddHours(1)).ToList();
        var other = new SyntheticFleet(new SimulationOptions { Seed = 8, FleetSensors = 3 }).Between(Midnight, Midnight.AddHours(1)).ToList();

        Assert.Equal(3 * 360, forward.Count);
        Assert.Equal(forward.SkipWhile(s => s.Timestamp <= Midnight.AddMinutes(30)), late);
        Assert.Equal(forward[^1], fleet.SampleAt(fleet.SensorIds.ToList().IndexOf(forward[^1].SensorId), forward[^1].Timestamp));
        Assert.NotEqual(forward.Select(s => s.Conditions), other.Select(s => s.Conditions));
        Assert.True(forward.Zip(forward.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp));
    }

    [Fact]
    public void SyntheticFleet_Day_HasDailyCycleRareSpikesAndDropouts()
    {
        var options = new SimulationOptions { Seed = 3, FleetSensors = 4, SpikeProbability = 0.002, DropoutProbability = 0.001 };
        var day = new SyntheticFleet(options).Between(Midnight, Midnight.AddDays(1)).ToList();

        Assert.Equal(4 * 8640, day.Count);
        foreach (var sensor in day.GroupBy(s => s.SensorId))
        {
            var clean = sensor.Where(s => !s.IsSpike).ToList();
            double Mean(int hour) => clean.Where(s => s.Timestamp.Hour == hour).Average(s => s.Conditions.Temperature.DegreesCelsius);
            Assert.True(Mean(15) > Mean(3) + 2, $"{sensor.Key}: afternoon {Mean(15):0.0} °C, night {Mean(3):0.0} °C");
            Assert.True(clean.Where(s => s.Timestamp.Hour == 15).Average(s => s.Conditions.Humidity.Percent)
                < clean.Where(s => s.Timestamp.Hour == 3).Average(s => s.Conditions.Humidity.Percent));
            Assert.Equal(Enumerable.Range(0, sensor.Count()).Select(i => sensor.First().Sequence + i), sensor.Select(s => s.Sequence));
        }

        var spikes = day.Count(s => s.IsSpike);
        Assert.InRange(spikes, 20, 120); // 0.2 % of 34 560
        Assert.All(day.Where(s => s.IsSpike), s => Assert.True(s.Conditions.Temperature.DegreesCelsius is > 35 or < 5));
        Assert.InRange(day.Count(s => s.IsDropout), 60, 400); // 0.1 % starts × 6 readings
    }

    [Fact]
    public void SyntheticSample_WriteJson_GivesThePayloadFields()
    {
        var sample = new SyntheticFleet(new SimulationOptions()).Sample(0, 100);
        var buffer = new ArrayBufferWriter<byte>();

        sample.WriteJson(buffer);

        using var json = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(Math.Round(sample.Conditions.Temperature.DegreesCelsius, 2), json.RootElement.GetProperty("temperature").GetDouble());
        Assert.Equal(Math.Round(sample.Conditions.Humidity.Percent, 2), json.RootElement.GetProperty("humidity").GetDouble());
        Assert.Equal(Math.Round(sample.Conditions.Pressure.Hectopascals, 2), json.RootElement.GetProperty("pressure").GetDouble());
        Assert.Equal(101, json.RootElement.GetProperty("seq").GetInt64());
        Assert.Equal(sample.Timestamp, json.RootElement.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public void SyntheticSample_WriteJsonWithoutTimestamp_LeavesTheArrivalTimeToTheGateway()
    {
        var sample = new SyntheticFleet(new SimulationOptions()).Sample(3, 7);
        var buffer = new ArrayBufferWriter<byte>();

        sample.WriteJson(buffer, withTimestamp: false);

        using var json = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.False(json.RootElement.TryGetProperty("timestamp", out _));
        Assert.Equal(["temperature", "humidity", "pressure", "seq"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(sample.Sequence, json.RootElement.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task SimulatedFleetSource_ADayOnAFakeClock_FeedsEveryDueReadingIntoAChannelEventSource()
    {
        var options = new SimulationOptions { Seed = 11, FleetSensors = 8, DropoutProbability = 0.002 };
        var fleet = new SyntheticFleet(options);
        var time = new FakeTimeProvider(Midnight);
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 512 });
        var directory = new SensorDirectory();
        var source = new SimulatedFleetSource(fleet, directory, events, time);
        var expected = fleet.Between(Midnight, Midnight.AddDays(1)).Where(s => !s.IsDropout).Select(s => s.ToReading()).ToList();
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(stop.Token);

        time.Advance(TimeSpan.FromDays(1));
        var received = new List<SensorReading>();
        while (received.Count < expected.Count)
        {
            received.Add(Assert.IsType<SensorReading>(await events.WaitForEventAsync().AsTask().WaitAsync(SensorRig.Patience)));
        }

        stop.Cancel();
        await run.WaitAsync(SensorRig.Patience);
        Assert.Equal(0, events.QueuedEvents);
        Assert.Equal(expected.Select(r => (r.SensorId, r.Sequence, r.Timestamp, r.Temperature)), received.Select(r => (r.SensorId, r.Sequence, r.Timestamp, r.Temperature)));
        Assert.True(expected.Count < 8 * 8640, "the day has dropouts");
        Assert.Equal(8, directory.Count);
        Assert.All(directory.All, d => Assert.Equal(SensorOrigin.Simulated, d.Origin));
    }

    [Fact]
    public async Task SimulatedFleetSource_RestartedLater_SequencesContinueAboveTheFirstRun()
    {
        var fleet = new SyntheticFleet(new SimulationOptions { Seed = 5, FleetSensors = 3 });
        var firstRun = await RunFleetAsync(fleet, Midnight, TimeSpan.FromHours(1));
        var secondRun = await RunFleetAsync(fleet, Midnight.AddHours(1).AddMinutes(5), TimeSpan.FromMinutes(10));

        foreach (var sensor in fleet.SensorIds)
        {
            var before = firstRun.Where(r => r.SensorId == sensor).Select(r => r.Sequence).ToList();
            var after = secondRun.Where(r => r.SensorId == sensor).Select(r => r.Sequence).ToList();
            Assert.True(before.Zip(before.Skip(1)).All(p => p.First < p.Second));
            Assert.True(after[0] > before[^1], $"{sensor}: {after[0]} after the restart, {before[^1]} before it");
        }
    }

    [Fact]
    public async Task OnBoardSimulation_DefaultModels_RunTheRealDriversAgainstEmulatedChips_IntoAChannelEventSource()
    {
        var options = new SimulationOptions { DropoutProbability = 0, SpikeProbability = 0 };
        var time = new FakeTimeProvider(Midnight.AddHours(15));
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 256 });
        var directory = new SensorDirectory();
        using var simulation = new OnBoardSimulation(options, SensorRig.Catalog, directory, events, time,
            NullLogger<SensorPoller>.Instance, new SensorsOptions { FaultsBeforeOffline = 1_000, ReadTimeout = TimeSpan.FromMinutes(5) });
        using var stop = new CancellationTokenSource();
        var run = simulation.RunAsync(stop.Token);
        // Pollers sharing a bus start spread over their interval.
        time.Advance(simulation.Pollers.Pollers.Max(p => p.FirstPollDelay));

        var readings = new Dictionary<string, SensorReading>();
        while (readings.Count < SimulationOptions.DefaultOnBoard.Count)
        {
            switch (await events.WaitForEventAsync().AsTask().WaitAsync(SensorRig.Patience))
            {
                case SensorReading reading:
                    readings.TryAdd(reading.SensorId, reading);
                    break;
                case SensorFault fault:
                    Assert.Fail($"unexpected fault {fault}");
                    break;
            }
        }

        stop.Cancel();
        await run.WaitAsync(SensorRig.Patience);
        Assert.Equal(["sim-bme280", "sim-dht22", "sim-ds18b20", "sim-sht3x"], readings.Keys.Order());
        Assert.Equal("bme280 i2c-1/0x76", readings["sim-bme280"].Source);
        Assert.NotNull(readings["sim-bme280"].Pressure);
        Assert.All(readings.Values, r => Assert.InRange(r.Temperature!.Value.DegreesCelsius, 10, 40));
        Assert.All(readings.Values, r => Assert.Equal(ReadingSequence.StartingAt(Midnight.AddHours(15)) + 1, r.Sequence));
        Assert.Equal(4, directory.Count);
    }

    [Fact]
    public async Task OnBoardSimulation_EventsChannelCompleted_RunEndsWithoutCancellation()
    {
        var time = new FakeTimeProvider(Midnight);
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 256 });
        using var simulation = new OnBoardSimulation(new SimulationOptions(), SensorRig.Catalog, new SensorDirectory(), events, time,
            NullLogger<SensorPoller>.Instance);
        events.Complete();

        var run = simulation.RunAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1)); // past every poller's first poll

        await run.WaitAsync(SensorRig.Patience);
    }

    [Fact]
    public async Task OnBoardSimulation_Dropout_MakesTheChipAbsent_FaultsThenOfflineThenOnline()
    {
        var options = new SimulationOptions { OnBoard = ["sht3x"], DropoutProbability = 0 };
        var time = new FakeTimeProvider(Midnight);
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 256 });
        using var simulation = new OnBoardSimulation(options, SensorRig.Catalog, new SensorDirectory(), events, time,
            NullLogger<SensorPoller>.Instance, new SensorsOptions { FaultsBeforeOffline = 2 });
        var poller = simulation.Pollers.Pollers.Single();

        simulation.Chips[0].Faults.Absent = true;
        await poller.PollOnceAsync().AsTask().WaitAsync(SensorRig.Patience);
        await poller.PollOnceAsync().AsTask().WaitAsync(SensorRig.Patience);
        simulation.Refresh(); // the waveform has no dropout now: the chip answers again
        await poller.PollOnceAsync().AsTask().WaitAsync(SensorRig.Patience);

        var kinds = new List<string>();
        while (events.TryRead(out var @event))
        {
            kinds.Add(@event switch
            {
                SensorFault fault => $"fault {fault.Kind}",
                SensorStatusChanged status => status.Status.ToString(),
                SensorReading => "reading",
                _ => "?",
            });
        }

        Assert.Equal(["fault NotPresent", "fault NotPresent", "Offline", "Online", "reading"], kinds);
    }

    private static async Task<List<SensorReading>> RunFleetAsync(SyntheticFleet fleet, DateTimeOffset start, TimeSpan duration)
    {
        var time = new FakeTimeProvider(start);
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 4096 });
        var source = new SimulatedFleetSource(fleet, new SensorDirectory(), events, time);
        var expected = fleet.Between(start, start + duration).Count(s => !s.IsDropout);
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(stop.Token);
        time.Advance(duration);
        var readings = new List<SensorReading>();
        while (readings.Count < expected)
        {
            readings.Add(Assert.IsType<SensorReading>(await events.WaitForEventAsync().AsTask().WaitAsync(SensorRig.Patience)));
        }

        stop.Cancel();
        await run.WaitAsync(SensorRig.Patience);
        return readings;
    }
}
