using System.Threading.Channels;
using Floxide.Edge.Devices;
using Floxide.Edge.Emulation;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Simulation;

/// <summary>
/// Simulated on-board sensors: an emulated chip per model behind emulated buses, read by the real drivers through
/// ordinary pollers, so the simulated gateway runs the code a Raspberry Pi runs. Each chip measures a seeded
/// waveform at the clock's current time; a dropout makes the chip absent (fault events, offline, online again).
/// </summary>
public sealed class OnBoardSimulation : IDisposable
{
    private readonly List<(int Index, EmulatedChip Chip)> chips = [];
    private readonly SyntheticFleet waveform;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the chips, drivers and pollers of <see cref="SimulationOptions.EffectiveOnBoard"/> and registers the sensors.</summary>
    /// <param name="options">The simulation options (validated).</param>
    /// <param name="catalog">The device profiles.</param>
    /// <param name="directory">Where each sensor is registered (origin simulated).</param>
    /// <param name="events">Where readings, faults and status changes go.</param>
    /// <param name="timeProvider">The clock for the waveform and the pollers.</param>
    /// <param name="logger">The pollers' logger.</param>
    /// <param name="polling">Fault handling of the pollers (faults before offline, read timeout); defaults when null.</param>
    /// <param name="metrics">The instruments, or null.</param>
    public OnBoardSimulation(
        SimulationOptions options,
        DeviceCatalog catalog,
        SensorDirectory directory,
        ChannelWriter<GatewayEvent> events,
        TimeProvider timeProvider,
        ILogger<SensorPoller> logger,
        SensorsOptions? polling = null,
        SensorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        this.timeProvider = timeProvider;
        var models = options.EffectiveOnBoard;
        waveform = new SyntheticFleet(options, models.Count, "board-", firstIndex: 10_000);
        var sensors = new SensorsOptions
        {
            FaultsBeforeOffline = polling?.FaultsBeforeOffline ?? 3,
            ReadTimeout = polling?.ReadTimeout ?? TimeSpan.FromSeconds(5),
        };
        var addressUse = new Dictionary<int, int>();
        var pin = 4;
        for (var index = 0; index < models.Count; index++)
        {
            var profile = catalog.Get(models[index]);
            var device = new SensorDeviceOptions
            {
                Id = $"sim-{profile.Model}",
                Model = profile.Model,
                Interval = options.OnBoardInterval ?? profile.DefaultInterval,
            };
            switch (profile.Bus)
            {
                case DeviceBus.I2c:
                    // Models that share an address sit on buses of their own.
                    device.Bus = addressUse[profile.I2c!.DefaultAddress] = addressUse.GetValueOrDefault(profile.I2c.DefaultAddress) + 1;
                    break;
                case DeviceBus.Gpio:
                    device.Pin = pin++;
                    break;
                default:
                    device.OneWireId = $"{profile.OneWire!.Family:x2}-0000000000{index:x2}";
                    break;
            }

            var chip = Attach(profile, device);
            var waveformIndex = index;
            chip.UseConditionsFrom(() => waveform.ConditionsAt(waveformIndex, timeProvider.GetUtcNow()).Conditions);
            chips.Add((index, chip));
            sensors.Devices.Add(device);
        }

        Refresh();
        Pollers = new PolledSensorSource(sensors, catalog, Hardware, SensorOrigin.Simulated, directory, events, timeProvider, logger, metrics);
    }

    /// <summary>The emulated buses and chips, for fault injection.</summary>
    public EmulatedSensorHardware Hardware { get; } = new();

    /// <summary>The pollers of the simulated sensors.</summary>
    public PolledSensorSource Pollers { get; }

    /// <summary>The emulated chips, in <see cref="SimulationOptions.EffectiveOnBoard"/> order.</summary>
    public IReadOnlyList<EmulatedChip> Chips => [.. chips.Select(c => c.Chip)];

    /// <summary>Polls every sensor on its interval, and applies dropouts, until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>A task that completes when everything has stopped.</returns>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var refresh = RefreshLoopAsync(cancellationToken);
        await Pollers.RunAsync(cancellationToken).ConfigureAwait(false);
        await refresh.ConfigureAwait(false);
    }

    /// <summary>Applies the waveform's dropouts at the current time and rewrites the 1-Wire files.</summary>
    public void Refresh()
    {
        var now = timeProvider.GetUtcNow();
        foreach (var (index, chip) in chips)
        {
            chip.Faults.Absent = waveform.ConditionsAt(index, now).IsDropout;
        }

        Hardware.OneWire.Refresh();
    }

    /// <summary>Releases the drivers and the emulated buses.</summary>
    public void Dispose()
    {
        Pollers.Dispose();
        Hardware.Dispose();
    }

    private EmulatedChip Attach(DeviceProfile profile, SensorDeviceOptions device)
    {
        var address = profile.I2c?.DefaultAddress ?? 0;
        return profile.Driver switch
        {
            DeviceDrivers.Bme280 => Hardware.I2cBus(device.Bus).Attach(address, new Bmx280Chip()),
            DeviceDrivers.Bmp280 => Hardware.I2cBus(device.Bus).Attach(address, new Bmx280Chip(withHumidity: false)),
            DeviceDrivers.Sht3x => Hardware.I2cBus(device.Bus).Attach(address, new Sht3xChip()),
            DeviceDrivers.Sht4x => Hardware.I2cBus(device.Bus).Attach(address, new Sht4xChip()),
            DeviceDrivers.Aht20 => Hardware.I2cBus(device.Bus).Attach(address, new AhtChip()),
            DeviceDrivers.Aht10 => Hardware.I2cBus(device.Bus).Attach(address, new AhtChip(aht10: true)),
            DeviceDrivers.Si7021 => Hardware.I2cBus(device.Bus).Attach(address, new Si7021Chip(htu21d: profile.Model != "si7021")),
            DeviceDrivers.Dht22 => Hardware.GpioDriver.Attach(device.Pin!.Value, new DhtChip()),
            DeviceDrivers.Dht11 => Hardware.GpioDriver.Attach(device.Pin!.Value, new DhtChip(dht11: true)),
            DeviceDrivers.Ds18b20 => Hardware.OneWire.Attach(device.OneWireId!),
            _ => throw new ArgumentException($"No emulator for driver '{profile.Driver}' (profile {profile.Model}).", nameof(profile)),
        };
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Refresh();
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
