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
        IGatewayEventWriter events,
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
            BusWaitTimeout = polling?.BusWaitTimeout ?? TimeSpan.FromSeconds(30),
        };
        foreach (var (index, emulated) in Hardware.AttachDefaults(models.Select(catalog.Get), "sim-").Index())
        {
            emulated.Device.Interval = options.OnBoardInterval ?? emulated.Profile.DefaultInterval;
            var waveformIndex = index;
            emulated.Chip.UseConditionsFrom(() => waveform.ConditionsAt(waveformIndex, timeProvider.GetUtcNow()).Conditions);
            chips.Add((index, emulated.Chip));
            sensors.Devices.Add(emulated.Device);
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

    /// <summary>
    /// Polls every sensor on its interval, and applies dropouts, until <paramref name="cancellationToken"/> is
    /// cancelled or the pollers stop on their own (the events channel was completed).
    /// </summary>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>A task that completes when everything has stopped.</returns>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var pollersDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var refresh = RefreshLoopAsync(pollersDone.Token);
        try
        {
            await Pollers.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Nothing reads the chips once the pollers are gone, whether the host stopped them or the channel did.
            await pollersDone.CancelAsync().ConfigureAwait(false);
            await refresh.ConfigureAwait(false);
        }
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
