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
            rig.Sensor, new SensorPollerSettings(3, TimeSpan.FromSeconds(5)), rig.Buses, rig.Events.Writer, rig.Time, NullLogger<SensorPoller>.Instance);
        var after = Assert.IsType<SensorReading>(await restarted.PollOnceAsync().AsTask().WaitAsync(SensorRig.Patience));

        Assert.Equal(20, before.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => before[0] + i), before);
        Assert.True(after.Sequence > before[^1], $"after the restart {after.Sequence}, before it {before[^1]}");
    }

    [Fact]
    public async Task PollOnce_DriverThrows_FaultEventAndNothingEscapes()
    {
        var events = new ChannelEventSource<GatewayEvent>("sensors", 16, ChannelFullMode.Wait);
        var poller = new SensorPoller(Descriptor("broken"), new ThrowingSensor(), new SensorPollerSettings(1, TimeSpan.FromSeconds(5)),
            new SensorBusLocks(), events.Writer, new FakeTimeProvider(), NullLogger<SensorPoller>.Instance);

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
        var threads = sensors.Select(sensor => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 6; i++)
            {
                Assert.True(sensor.Read().IsSuccess);
            }
        })).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(SensorRig.Patience)));
        sensors.ForEach(s => s.Dispose());

        Assert.True(hardware.I2cBus(1).Interleavings > 0, "two unserialised readers should interleave on the emulated bus");
    }

    private static async Task<int> RunTwoPollersAsync()
    {
        using var hardware = new EmulatedSensorHardware();
        var catalog = SensorRig.Catalog;
        var events = new ChannelEventSource<GatewayEvent>("sensors", 1024, ChannelFullMode.Wait);
        var time = new FakeTimeProvider();
        var locks = new SensorBusLocks();
        var pollers = new List<SensorPoller>();
        foreach (var address in new[] { 0x44, 0x45 })
        {
            hardware.I2cBus(1).Attach(address, new Sht3xChip());
            var device = new SensorDeviceOptions { Id = $"sht-{address:x2}", Model = "sht3x", Address = address };
            var sensor = SensorDriverFactory.Create(catalog.Get("sht3x"), device, hardware);
            pollers.Add(new SensorPoller(Descriptor(device.Id), sensor, new SensorPollerSettings(3, TimeSpan.FromSeconds(5)),
                locks, events.Writer, time, NullLogger<SensorPoller>.Instance));
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
