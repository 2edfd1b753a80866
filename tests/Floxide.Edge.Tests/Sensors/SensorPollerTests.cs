using Floxide.Edge.Workflow;
using System.Threading.Channels;
using Floxide.Edge.Emulation;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Tests.Support;
using Floxide.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Sensors;

public sealed class SensorPollerTests
{
    [Fact]
    public async Task PollOnce_MissingAtStartUp_OfflineAfterNFaults_OnlineWhenItAnswers()
    {
        using var rig = SensorRig.For("bme280", faultsBeforeOffline: 2);
        rig.Hardware.I2cBus(1).Detach(0x76);

        var first = await rig.PollAsync();
        var second = await rig.PollAsync();

        Assert.Null(Assert.IsType<SensorFault>(Assert.Single(first)).Kind == SensorFaultKind.NotPresent ? null : "wrong kind");
        Assert.Collection(second,
            e => Assert.Equal(2, Assert.IsType<SensorFault>(e).ConsecutiveFaults),
            e => Assert.Equal(SensorStatus.Offline, Assert.IsType<SensorStatusChanged>(e).Status));
        Assert.Equal(SensorStatus.Offline, rig.Poller.Status);

        rig.Hardware.I2cBus(1).Attach(0x76, new Bmx280Chip());
        var back = await rig.PollAsync();

        Assert.Collection(back,
            e => Assert.Equal(SensorStatus.Online, Assert.IsType<SensorStatusChanged>(e).Status),
            e => Assert.Equal(ReadingSequence.StartingAt(rig.Time.GetUtcNow()) + 1, Assert.IsType<SensorReading>(e).Sequence));
    }

    [Fact]
    public async Task RunAsync_FakeClock_PollsOncePerInterval_WithTimestampsFromTheClock()
    {
        using var rig = SensorRig.For("sht3x");
        using var stop = new CancellationTokenSource();
        var run = rig.Poller.RunAsync(stop.Token);
        var start = rig.Time.GetUtcNow();

        var events = new List<GatewayEvent> { await rig.Events.WaitForEventAsync().AsTask().WaitAsync(SensorRig.Patience) };
        events.Add(await rig.Events.WaitForEventAsync().AsTask().WaitAsync(SensorRig.Patience));
        for (var tick = 1; tick <= 3; tick++)
        {
            rig.Time.Advance(rig.Profile.DefaultInterval);
            events.Add(await rig.Events.WaitForEventAsync().AsTask().WaitAsync(SensorRig.Patience));
        }

        stop.Cancel();
        await run.WaitAsync(SensorRig.Patience);
        Assert.IsType<SensorStatusChanged>(events[0]);
        var readings = events.OfType<SensorReading>().ToList();
        var first = start.ToUnixTimeMilliseconds() * 1000 + 1;
        Assert.Equal([first, first + 1, first + 2, first + 3], readings.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => start + i * rig.Profile.DefaultInterval), readings.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task PollOnce_PollerRecreatedAMillisecondLater_SequencesKeepIncreasing()
    {
        using var rig = SensorRig.For("sht3x");
        var before = new List<long>();
        for (var poll = 0; poll < 20; poll++)
        {
            before.AddRange((await rig.PollAsync()).OfType<SensorReading>().Select(r => r.Sequence));
        }

        rig.Time.Advance(TimeSpan.FromMilliseconds(1));
        var restarted = new SensorPoller(new SensorDescriptor(rig.Device.Id, "sht3x", SensorOrigin.Simulated, rig.Profile.DefaultInterval, rig.Profile.Ranges),
            rig.Sensor, SensorRig.Settings(3), rig.Buses, rig.Events, rig.Time, NullLogger<SensorPoller>.Instance);
        var after = Assert.IsType<SensorReading>(await restarted.PollOnceAsync().AsTask().WaitAsync(SensorRig.Patience));

        Assert.Equal(20, before.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => before[0] + i), before);
        Assert.True(after.Sequence > before[^1], $"after the restart {after.Sequence}, before it {before[^1]}");
    }

    [Fact]
    public async Task PollOnce_SixSlowChipsOnOneBusPolledAtOnce_EachReadTimedFromGettingTheBus_NoneTimesOut()
    {
        // Six chips on i2c-1, each read taking 1 s of the fake clock, all polled at once: the last waits 5 s for the
        // bus, as many DS18B20s on w1 do. A 2 s read timeout that counted the wait would time out the last four.
        using var hardware = new EmulatedSensorHardware();
        var time = new FakeTimeProvider();
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 256 });
        var buses = new SensorBusLocks();
        var settings = new SensorPollerSettings(FaultsBeforeOffline: 1, ReadTimeout: TimeSpan.FromSeconds(2), BusWaitTimeout: TimeSpan.FromSeconds(30));
        var pollers = new List<SensorPoller>();
        var chips = new List<EmulatedChip>();
        foreach (var (model, address) in new[] { ("aht20", 0x38), ("si7021", 0x40), ("sht3x", 0x44), ("sht4x", 0x45), ("bme280", 0x76), ("bmp280", 0x77) })
        {
            var device = new SensorDeviceOptions { Id = model, Model = model, Address = address };
            var profile = SensorRig.Catalog.Get(model);
            chips.Add(hardware.Attach(profile, device));
            pollers.Add(new SensorPoller(new SensorDescriptor(model, model, SensorOrigin.Simulated, profile.DefaultInterval, profile.Ranges),
                SensorDriverFactory.Create(profile, device, hardware), settings, buses, events, time, NullLogger<SensorPoller>.Instance));
        }

        chips.ForEach(c => c.Faults.Hold());
        var held = chips.ToDictionary(c => c.Faults.WaitUntilHeldAsync(), c => c);
        var polls = pollers.Select(p => p.PollOnceAsync().AsTask()).ToList();
        while (held.Count > 0)
        {
            // Whichever chip has the bus: its conversion takes a second, then the next in the queue gets the bus.
            var reading = await Task.WhenAny(held.Keys).WaitAsync(SensorRig.Patience);
            time.Advance(TimeSpan.FromSeconds(1));
            held.Remove(reading, out var chip);
            chip!.Faults.Release();
        }

        var results = await Task.WhenAll(polls).WaitAsync(SensorRig.Patience);

        Assert.All(results, result => Assert.IsType<SensorReading>(result));
        Assert.All(pollers, p => Assert.Equal(SensorStatus.Online, p.Status));
    }

    [Fact]
    public async Task PollOnce_BusHeldByAnotherReadPastTheBusWaitBudget_BusBusyFault_NotATimeout()
    {
        using var hardware = new EmulatedSensorHardware();
        var time = new FakeTimeProvider();
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 64 });
        var buses = new SensorBusLocks();
        var settings = new SensorPollerSettings(FaultsBeforeOffline: 3, ReadTimeout: TimeSpan.FromSeconds(2), BusWaitTimeout: TimeSpan.FromSeconds(10));
        var pollers = new[] { 0x44, 0x45 }.Select(address =>
        {
            var device = new SensorDeviceOptions { Id = $"sht-{address:x2}", Model = "sht3x", Address = address };
            hardware.Attach(SensorRig.Catalog.Get("sht3x"), device);
            return new SensorPoller(Descriptor(device.Id), SensorDriverFactory.Create(SensorRig.Catalog.Get("sht3x"), device, hardware),
                settings, buses, events, time, NullLogger<SensorPoller>.Instance);
        }).ToList();
        var stuck = hardware.I2cBus(1).ChipAt(0x44)!;
        stuck.Faults.Hold();
        var held = stuck.Faults.WaitUntilHeldAsync();
        var slow = pollers[0].PollOnceAsync().AsTask();
        await held.WaitAsync(SensorRig.Patience);
        var queued = pollers[1].PollOnceAsync().AsTask();

        time.Advance(TimeSpan.FromSeconds(5));
        var timedOut = Assert.IsType<SensorFault>(await slow.WaitAsync(SensorRig.Patience));
        time.Advance(TimeSpan.FromSeconds(5));
        var busy = Assert.IsType<SensorFault>(await queued.WaitAsync(SensorRig.Patience));
        stuck.Faults.Release();

        Assert.Equal(SensorFaultKind.Timeout, timedOut.Kind);
        Assert.Contains("did not answer within 2000 ms of getting bus i2c-1", timedOut.Detail, StringComparison.Ordinal);
        Assert.Equal(SensorFaultKind.BusBusy, busy.Kind);
        Assert.Equal("Bus i2c-1 stayed busy with other sensors' reads for 10000 ms; sht3x i2c-1/0x45 was not read.", busy.Detail);
        Assert.IsType<SensorReading>(await pollers[1].PollOnceAsync().AsTask().WaitAsync(SensorRig.Patience));
    }

    [Fact]
    public async Task PollOnce_DriverThrows_FaultEventAndNothingEscapes()
    {
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 16 });
        var poller = new SensorPoller(Descriptor("broken"), new ThrowingSensor(), SensorRig.Settings(1),
            new SensorBusLocks(), events, new FakeTimeProvider(), NullLogger<SensorPoller>.Instance);

        var fault = Assert.IsType<SensorFault>(await poller.PollOnceAsync().AsTask().WaitAsync(SensorRig.Patience));

        Assert.Equal(SensorFaultKind.NoData, fault.Kind);
        Assert.Contains("InvalidOperationException: driver bug", fault.Detail, StringComparison.Ordinal);
        Assert.Equal(SensorStatus.Offline, poller.Status);
    }

    [Fact]
    public async Task RunAsync_EventsChannelCompleted_EndsQuietly()
    {
        using var rig = SensorRig.For("sht4x");
        rig.Events.Complete();

        await rig.Poller.RunAsync().WaitAsync(SensorRig.Patience);
    }

    [Fact]
    public async Task Pollers_SameBusConcurrently_NeverInterleaveTransactions()
    {
        var interleavings = await RunTwoPollersAsync();

        Assert.Equal(0, interleavings);
    }

    [Fact]
    public void Drivers_SameBusOnTwoThreadsWithoutLocks_DoInterleave_SoTheCheckAboveCanFail()
    {
        using var hardware = new EmulatedSensorHardware();
        var sensors = new[] { 0x44, 0x45 }.Select(address =>
        {
            hardware.I2cBus(1).Attach(address, new Sht3xChip());
            return SensorDriverFactory.Create(SensorRig.Catalog.Get("sht3x"),
                new SensorDeviceOptions { Id = $"sht-{address:x2}", Model = "sht3x", Address = address }, hardware);
        }).ToList();
        using var start = new Barrier(sensors.Count);
        var results = new System.Collections.Concurrent.ConcurrentQueue<SensorReadResult>();
        // Background threads with bounded waits, asserting on the test's thread: a failure cannot hang the run.
        var threads = sensors.Select(sensor => new Thread(() =>
        {
            if (start.SignalAndWait(SensorRig.Patience))
            {
                for (var i = 0; i < 6; i++)
                {
                    results.Enqueue(sensor.Read());
                }
            }
        }) { IsBackground = true }).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(SensorRig.Patience)));
        sensors.ForEach(s => s.Dispose());

        Assert.Equal(12, results.Count);
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        Assert.True(hardware.I2cBus(1).Interleavings > 0, "two unserialised readers should interleave on the emulated bus");
    }

    private static async Task<int> RunTwoPollersAsync()
    {
        using var hardware = new EmulatedSensorHardware();
        var catalog = SensorRig.Catalog;
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 1024 });
        var time = new FakeTimeProvider();
        var locks = new SensorBusLocks();
        var pollers = new List<SensorPoller>();
        foreach (var address in new[] { 0x44, 0x45 })
        {
            hardware.I2cBus(1).Attach(address, new Sht3xChip());
            var device = new SensorDeviceOptions { Id = $"sht-{address:x2}", Model = "sht3x", Address = address };
            var sensor = SensorDriverFactory.Create(catalog.Get("sht3x"), device, hardware);
            pollers.Add(new SensorPoller(Descriptor(device.Id), sensor, SensorRig.Settings(3),
                locks, events, time, NullLogger<SensorPoller>.Instance));
        }

        await Task.WhenAll(pollers.Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < 6; i++)
            {
                await p.PollOnceAsync();
            }
        }))).WaitAsync(SensorRig.Patience);

        var readings = 0;
        while (events.TryRead(out var @event))
        {
            readings += @event is SensorReading ? 1 : 0;
        }

        Assert.Equal(12, readings);
        Assert.True(hardware.I2cBus(1).Transfers > 24, $"transfers {hardware.I2cBus(1).Transfers}");
        return hardware.I2cBus(1).Interleavings;
    }

    private static SensorDescriptor Descriptor(string id) =>
        new(id, "sht3x", SensorOrigin.Simulated, TimeSpan.FromSeconds(10), SensorRig.Catalog.Get("sht3x").Ranges);

    private sealed class ThrowingSensor : ISensor
    {
        public string Source => "throwing";

        public string BusKey => "test";

        public SensorReadResult Read() => throw new InvalidOperationException("driver bug");

        public void Dispose()
        {
        }
    }
}
