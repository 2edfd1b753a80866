using Floxide.Edge.Workflow;
using Floxide.Edge.Devices;
using Floxide.Edge.Emulation;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UnitsNet;

namespace Floxide.Edge.Tests.Support;

/// <summary>
/// One emulated chip of a model, its real driver, and a poller writing into a ChannelEventSource: what a test of a
/// driver needs.
/// </summary>
internal sealed class SensorRig : IDisposable
{
    public static readonly DeviceCatalog Catalog = DeviceCatalog.LoadEmbedded();
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private SensorRig(string model, SensorPollerSettings settings)
    {
        Profile = Catalog.Get(model);
        Device = new SensorDeviceOptions { Id = $"{model}-1", Model = model, Pin = 4, OneWireId = "28-0316a2793d0f" };
        Chip = Hardware.Attach(Profile, Device);
        Sensor = SensorDriverFactory.Create(Profile, Device, Hardware);
        var descriptor = new SensorDescriptor(Device.Id, Profile.Model, SensorOrigin.Simulated, Profile.DefaultInterval, Profile.Ranges);
        Poller = new SensorPoller(descriptor, Sensor, settings, Buses, Events, Time, NullLogger<SensorPoller>.Instance);
        FirstSequence = ReadingSequence.StartingAt(Time.GetUtcNow()) + 1;
    }

    public EmulatedSensorHardware Hardware { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public GatewayEventChannel Events { get; } = new(new GatewayWorkflowOptions { ReadingCapacity = 1024 });

    public SensorBusLocks Buses { get; } = new();

    public DeviceProfile Profile { get; }

    public SensorDeviceOptions Device { get; }

    public EmulatedChip Chip { get; }

    public ISensor Sensor { get; }

    public SensorPoller Poller { get; }

    /// <summary>The sequence number of the poller's first reading.</summary>
    public long FirstSequence { get; }

    public static SensorRig For(string model, int faultsBeforeOffline = 3) => new(model, Settings(faultsBeforeOffline));

    /// <summary>The options' defaults: 5 s to read once the bus is free, 30 s to wait for it.</summary>
    public static SensorPollerSettings Settings(int faultsBeforeOffline = 3) => SensorPollerSettings.From(new SensorsOptions { FaultsBeforeOffline = faultsBeforeOffline });

    public void SetConditions(double celsius, double humidity, double hectopascals)
    {
        Chip.Conditions = new ChipConditions(
            Temperature.FromDegreesCelsius(celsius), RelativeHumidity.FromPercent(humidity), Pressure.FromHectopascals(hectopascals));
        Hardware.OneWire.Refresh();
    }

    /// <summary>Polls once; returns every event the poll wrote, the main one last among readings/faults.</summary>
    public async Task<List<GatewayEvent>> PollAsync()
    {
        Hardware.OneWire.Refresh();
        await Poller.PollOnceAsync().AsTask().WaitAsync(Patience);
        return Drain();
    }

    public List<GatewayEvent> Drain()
    {
        var events = new List<GatewayEvent>();
        while (Events.TryRead(out var @event))
        {
            events.Add(@event);
        }

        return events;
    }

    public void Dispose()
    {
        Sensor.Dispose();
        Hardware.Dispose();
    }
}

internal static class ChannelEventSourceExtensions
{
    /// <summary>Takes a queued event without waiting; the source has one reader, the test.</summary>
    public static bool TryRead(this GatewayEventChannel source, out GatewayEvent @event)
    {
        if (source.QueuedEvents == 0)
        {
            @event = null!;
            return false;
        }

        var pending = source.WaitForEventAsync();
        @event = pending.IsCompleted ? pending.Result : throw new InvalidOperationException("A queued event was not ready.");
        return true;
    }
}
