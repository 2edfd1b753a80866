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
        // A long read timeout: advancing the fake clock for a DHT retry must not time out reads in flight.
        var options = new SensorsOptions { FaultsBeforeOffline = 1_000, ReadTimeout = TimeSpan.FromMinutes(5) };
        var models = SensorRig.Catalog.Models.ToList();
        foreach (var emulated in hardware.AttachDefaults(models.Select(SensorRig.Catalog.Get), "board-"))
        {
            emulated.Device.Interval = emulated.Profile.DefaultInterval;
            options.Devices.Add(emulated.Device);
        }

        Assert.Empty(new SensorsOptionsValidator(SensorRig.Catalog).Problems(options));
        var events = new ChannelEventSource<GatewayEvent>("sensors", 256, ChannelFullMode.Wait);
        var directory = new SensorDirectory();
        var time = new FakeTimeProvider();
        using var source = new PolledSensorSource(options, SensorRig.Catalog, hardware, SensorOrigin.Simulated, directory,
            events.Writer, time, NullLogger<SensorPoller>.Instance);
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(stop.Token);

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
}
