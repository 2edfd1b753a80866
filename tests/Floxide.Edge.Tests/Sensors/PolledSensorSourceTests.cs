using Floxide.Edge.Workflow;
using Floxide.Edge.Emulation;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Tests.Support;
using Floxide.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Sensors;

public sealed class PolledSensorSourceTests
{
    [Fact]
    public async Task RunAsync_EveryEmulatedChip_FeedsAChannelEventSource_AndRegistersItsDescriptor()
    {
        using var hardware = new EmulatedSensorHardware();
        // A long read timeout: advancing the fake clock to the staggered first polls must not time out reads in flight.
        var options = new SensorsOptions { FaultsBeforeOffline = 1_000, ReadTimeout = TimeSpan.FromMinutes(5) };
        var models = SensorRig.Catalog.Models.ToList();
        foreach (var emulated in hardware.AttachDefaults(models.Select(SensorRig.Catalog.Get), "board-"))
        {
            emulated.Device.Interval = emulated.Profile.DefaultInterval;
            options.Devices.Add(emulated.Device);
        }

        Assert.Empty(new SensorsOptionsValidator(SensorRig.Catalog).Problems(options));
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 256 });
        var directory = new SensorDirectory();
        var time = new FakeTimeProvider();
        using var source = new PolledSensorSource(options, SensorRig.Catalog, hardware, SensorOrigin.Simulated, directory,
            events, time, NullLogger<SensorPoller>.Instance);
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(stop.Token);
        time.Advance(source.Pollers.Max(p => p.FirstPollDelay)); // pollers sharing a bus start spread over their interval

        var readFrom = new HashSet<string>();
        while (readFrom.Count < models.Count)
        {
            var @event = await events.WaitForEventAsync().AsTask().WaitAsync(SensorRig.Patience);
            if (@event is SensorReading reading)
            {
                readFrom.Add(reading.SensorId);
            }
            else if (@event is SensorFault other)
            {
                Assert.Fail($"unexpected fault {other}");
            }
        }

        stop.Cancel();
        await run.WaitAsync(SensorRig.Patience);
        Assert.Equal(models.Count, directory.Count);
        Assert.True(directory.TryGet("board-bme280", out var bme280));
        Assert.Equal(SensorOrigin.Simulated, bme280.Origin);
        Assert.Equal(new ValueRange(300, 1100), bme280.Ranges[Quantity.Pressure]);
        Assert.Equal([Quantity.Temperature], directory.All.Single(d => d.Model == "ds18b20").Quantities);
    }

    [Fact]
    public async Task RunAsync_EightDs18b20OnW1_FirstPollsSpreadOverTheInterval_OneAtATime()
    {
        using var hardware = new EmulatedSensorHardware();
        var options = new SensorsOptions();
        options.Devices.Add(new SensorDeviceOptions { Id = "room", Model = "bme280", Interval = TimeSpan.FromHours(1) });
        for (var i = 0; i < 8; i++)
        {
            var device = new SensorDeviceOptions { Id = $"tank-{i}", Model = "ds18b20", OneWireId = $"28-00000000000{i}", Interval = TimeSpan.FromSeconds(8) };
            hardware.Attach(SensorRig.Catalog.Get("ds18b20"), device);
            options.Devices.Add(device);
        }

        hardware.Attach(SensorRig.Catalog.Get("bme280"), options.Devices[0]);
        var events = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 256 });
        var time = new FakeTimeProvider();
        using var source = new PolledSensorSource(options, SensorRig.Catalog, hardware, SensorOrigin.Hardware, new SensorDirectory(),
            events, time, NullLogger<SensorPoller>.Instance);

        // The only sensor on its bus starts at once; the k-th of eight on w1 after k seconds of their 8 s interval.
        Assert.Equal([TimeSpan.Zero, .. Enumerable.Range(0, 8).Select(k => TimeSpan.FromSeconds(k))], source.Pollers.Select(p => p.FirstPollDelay));

        using var stop = new CancellationTokenSource();
        var start = time.GetUtcNow();
        var run = source.RunAsync(stop.Token);
        var first = new Dictionary<string, DateTimeOffset>();
        for (var second = 0; second < 8; second++)
        {
            while (!first.ContainsKey($"tank-{second}"))
            {
                if (await events.WaitForEventAsync().AsTask().WaitAsync(SensorRig.Patience) is SensorReading reading)
                {
                    first.TryAdd(reading.SensorId, reading.Timestamp);
                }
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        stop.Cancel();
        await run.WaitAsync(SensorRig.Patience);
        Assert.Equal(Enumerable.Range(0, 8).Select(k => start.AddSeconds(k)), Enumerable.Range(0, 8).Select(k => first[$"tank-{k}"]));
    }
}
