using System.Threading.Channels;
using Floxide.Edge.Devices;
using Floxide.Edge.Readings;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Sensors;

/// <summary>
/// The gateway's polled sensors: one <see cref="SensorPoller"/> per configured sensor, each registered in the
/// <see cref="SensorDirectory"/> with its profile's ranges, all writing into one channel.
/// </summary>
/// <remarks>
/// The pollers of one bus are spread over their interval: the k-th of n starts after k/n of its interval, so a bus
/// of several slow chips (DS18B20s take 750 ms each) serves them in turn instead of queueing them all at once.
/// </remarks>
public sealed class PolledSensorSource : IDisposable
{
    private readonly List<(SensorPoller Poller, ISensor Sensor)> pollers = [];

    /// <summary>Creates the pollers for the enabled sensors of <paramref name="options"/> and registers them.</summary>
    /// <param name="options">The configured sensors (validated).</param>
    /// <param name="catalog">The device profiles.</param>
    /// <param name="hardware">The buses.</param>
    /// <param name="origin">How the sensors are registered: <see cref="SensorOrigin.Hardware"/>, or <see cref="SensorOrigin.Simulated"/> over emulated buses.</param>
    /// <param name="directory">Where each sensor is registered.</param>
    /// <param name="events">Where readings, faults and status changes go.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The pollers' logger.</param>
    /// <param name="metrics">The instruments, or null.</param>
    /// <param name="buses">The per-bus locks, or null for a set of its own.</param>
    public PolledSensorSource(
        SensorsOptions options,
        DeviceCatalog catalog,
        ISensorHardware hardware,
        SensorOrigin origin,
        SensorDirectory directory,
        IGatewayEventWriter events,
        TimeProvider timeProvider,
        ILogger<SensorPoller> logger,
        SensorMetrics? metrics = null,
        SensorBusLocks? buses = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(directory);
        buses ??= new SensorBusLocks();
        var settings = SensorPollerSettings.From(options);
        var sensors = new List<(SensorDescriptor Descriptor, ISensor Sensor)>();
        foreach (var device in options.Devices.Where(d => d.Enabled))
        {
            var profile = catalog.Get(device.Model);
            var descriptor = new SensorDescriptor(device.Id, profile.Model, origin, device.Interval ?? profile.DefaultInterval, profile.Ranges, device.Name);
            var sensor = SensorDriverFactory.Create(profile, device, hardware);
            directory.Register(descriptor);
            sensors.Add((descriptor, sensor));
        }

        var onBus = sensors.GroupBy(s => s.Sensor.BusKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var (descriptor, sensor) in sensors)
        {
            var neighbours = onBus[sensor.BusKey];
            var rank = neighbours.FindIndex(s => ReferenceEquals(s.Sensor, sensor));
            pollers.Add((new SensorPoller(descriptor, sensor, settings, buses, events, timeProvider, logger, metrics)
            {
                FirstPollDelay = descriptor.Interval * rank / neighbours.Count,
            }, sensor));
        }
    }

    /// <summary>The pollers, in configuration order.</summary>
    public IReadOnlyList<SensorPoller> Pollers => [.. pollers.Select(p => p.Poller)];

    /// <summary>Runs every poller until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops polling.</param>
    /// <returns>A task that completes when every poller has stopped.</returns>
    public Task RunAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(pollers.Select(p => p.Poller.RunAsync(cancellationToken)));

    /// <summary>Releases the drivers.</summary>
    public void Dispose()
    {
        foreach (var (_, sensor) in pollers)
        {
            sensor.Dispose();
        }
    }
}
