using System.Threading.Channels;
using Floxide.Edge.Readings;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Sensors;

/// <summary>How a poller treats failures.</summary>
/// <param name="FaultsBeforeOffline">Failed reads in a row after which the sensor is offline: 1 or more.</param>
/// <param name="ReadTimeout">The longest a read may take once it has its bus.</param>
/// <param name="BusWaitTimeout">The longest a read may wait for its bus while other sensors' reads hold it.</param>
public readonly record struct SensorPollerSettings(int FaultsBeforeOffline, TimeSpan ReadTimeout, TimeSpan BusWaitTimeout)
{
    /// <summary>The settings <see cref="SensorsOptions"/> gives.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The settings.</returns>
    public static SensorPollerSettings From(SensorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.FaultsBeforeOffline, options.ReadTimeout, options.BusWaitTimeout);
    }
}

/// <summary>
/// Reads one sensor on its interval and writes what happens as events: a <see cref="SensorReading"/> per good read,
/// a <see cref="SensorFault"/> per failed one, and a <see cref="SensorStatusChanged"/> when the sensor goes offline
/// after <see cref="SensorPollerSettings.FaultsBeforeOffline"/> faults in a row or comes back with a good read.
/// Nothing a driver does escapes as an exception.
/// </summary>
/// <remarks>
/// A sensor starts with no status: its first good read reports it online; failing from the start reports it offline
/// once the fault count is reached, so a sensor missing at start-up is offline until it answers. Readings are numbered
/// from <see cref="ReadingSequence.StartingAt"/> the poller's creation, one up per reading, so the numbers keep
/// increasing across restarts.
/// <para>
/// A read first waits for its bus, for at most <see cref="SensorPollerSettings.BusWaitTimeout"/> (past it, a
/// <see cref="SensorFaultKind.BusBusy"/> fault: the sensor was not read), and only then has
/// <see cref="SensorPollerSettings.ReadTimeout"/> to finish, so a sensor queued behind slow neighbours on its bus is
/// not blamed for their time. A read that overruns its timeout is a <see cref="SensorFaultKind.Timeout"/> fault and
/// keeps its bus until the driver returns. Both are measured on the poller's <see cref="TimeProvider"/>. One poll at
/// a time.
/// </para>
/// </remarks>
public sealed class SensorPoller
{
    private readonly SensorDescriptor descriptor;
    private readonly ISensor sensor;
    private readonly SensorPollerSettings settings;
    private readonly SensorBusLocks buses;
    private readonly IGatewayEventWriter events;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<SensorPoller> logger;
    private readonly SensorMetrics? metrics;
    private Task<SensorReadResult>? readInFlight;
    private long sequence;

    /// <summary>Creates a poller.</summary>
    /// <param name="descriptor">The sensor, as registered in the <see cref="SensorDirectory"/>; its interval paces the poller.</param>
    /// <param name="sensor">The driver.</param>
    /// <param name="settings">Fault handling.</param>
    /// <param name="buses">The gateway's per-bus locks.</param>
    /// <param name="events">Where readings, faults and status changes go (a <c>ChannelEventSource&lt;GatewayEvent&gt;</c>'s writer).</param>
    /// <param name="timeProvider">The clock for timestamps, intervals and read timeouts.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">The instruments, or null for none.</param>
    public SensorPoller(
        SensorDescriptor descriptor,
        ISensor sensor,
        SensorPollerSettings settings,
        SensorBusLocks buses,
        IGatewayEventWriter events,
        TimeProvider timeProvider,
        ILogger<SensorPoller> logger,
        SensorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(sensor);
        ArgumentNullException.ThrowIfNull(buses);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.FaultsBeforeOffline, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.ReadTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.BusWaitTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(descriptor.Interval, TimeSpan.Zero);
        this.descriptor = descriptor;
        this.sensor = sensor;
        this.settings = settings;
        this.buses = buses;
        this.events = events;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.metrics = metrics;
        sequence = ReadingSequence.StartingAt(timeProvider.GetUtcNow());
    }

    /// <summary>The sensor's id.</summary>
    public string SensorId => descriptor.Id;

    /// <summary>The driver's description of where readings come from.</summary>
    public string Source => sensor.Source;

    /// <summary>The sensor's status: null until its first good read or its first offline verdict.</summary>
    public SensorStatus? Status { get; private set; }

    /// <summary>Failed reads in a row so far.</summary>
    public int ConsecutiveFaults { get; private set; }

    /// <summary>
    /// How long <see cref="RunAsync"/> waits before its first poll, so that the pollers of one bus, started together,
    /// take turns rather than all queueing for the bus at once (<see cref="PolledSensorSource"/> spreads them over
    /// their interval).
    /// </summary>
    /// <value>Zero or more. The default is zero: the first poll is at once.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan FirstPollDelay
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            field = value;
        }
    }

    /// <summary>
    /// Polls after <see cref="FirstPollDelay"/>, then every interval, until <paramref name="cancellationToken"/> is
    /// cancelled or the events channel is completed.
    /// </summary>
    /// <param name="cancellationToken">Stops polling.</param>
    /// <returns>A task that completes when polling stops; it does not fault.</returns>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        SensorLog.Polling(logger, descriptor.Id, sensor.Source, descriptor.Interval, FirstPollDelay);
        try
        {
            if (FirstPollDelay > TimeSpan.Zero)
            {
                await Task.Delay(FirstPollDelay, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            using var timer = new PeriodicTimer(descriptor.Interval, timeProvider);
            do
            {
                await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
            // The workflow's source was completed: nobody takes events any more.
        }
    }

    /// <summary>Reads the sensor once and writes the events that follow from it.</summary>
    /// <param name="cancellationToken">Cancels the read's wait and the write of the events.</param>
    /// <returns>The main event written: the reading or the fault.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ChannelClosedException">The events channel is completed.</exception>
    public async ValueTask<GatewayEvent> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        var result = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        metrics?.Record(descriptor.Id, timeProvider.GetElapsedTime(started), result.Fault);
        if (result.IsSuccess)
        {
            ConsecutiveFaults = 0;
            var reading = new SensorReading(descriptor.Id, now, ++sequence, sensor.Source)
            {
                Temperature = result.Sample.Temperature,
                Humidity = result.Sample.Humidity,
                Pressure = result.Sample.Pressure,
            };
            if (Status != SensorStatus.Online)
            {
                Status = SensorStatus.Online;
                SensorLog.CameOnline(logger, descriptor.Id, sensor.Source);
                await events.WriteAsync(new SensorStatusChanged(descriptor.Id, now, SensorStatus.Online, $"good read from {sensor.Source}"), cancellationToken).ConfigureAwait(false);
            }

            // A reading refused while the readings' share of the queue is full is counted by the queue; the next
            // poll supersedes it, and faults and status changes still get through.
            events.TryWriteReading(reading);
            return reading;
        }

        ConsecutiveFaults++;
        var kind = result.Fault!.Value;
        SensorLog.ReadFailed(logger, descriptor.Id, kind, ConsecutiveFaults, result.Detail);
        var fault = new SensorFault(descriptor.Id, now, kind, result.Detail, ConsecutiveFaults);
        await events.WriteAsync(fault, cancellationToken).ConfigureAwait(false);
        if (ConsecutiveFaults >= settings.FaultsBeforeOffline && Status != SensorStatus.Offline)
        {
            Status = SensorStatus.Offline;
            SensorLog.WentOffline(logger, descriptor.Id, ConsecutiveFaults, result.Detail);
            await events.WriteAsync(new SensorStatusChanged(descriptor.Id, now, SensorStatus.Offline,
                $"{ConsecutiveFaults} failed reads in a row; last: {kind}: {result.Detail}"), cancellationToken).ConfigureAwait(false);
        }

        return fault;
    }

    private async ValueTask<SensorReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        // A read that overran its timeout still runs (and holds the bus); wait for it, within a read's budget, rather
        // than start a second read of the same driver.
        if (readInFlight is { IsCompleted: false } previous && !await FinishesWithinAsync(previous, settings.ReadTimeout, cancellationToken).ConfigureAwait(false))
        {
            return SensorReadResult.Failure(SensorFaultKind.Timeout,
                $"{sensor.Source} is still busy with its previous read after another {settings.ReadTimeout.TotalMilliseconds:0} ms.");
        }

        IDisposable bus;
        using (var busWait = new CancellationTokenSource(settings.BusWaitTimeout, timeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, busWait.Token))
        {
            try
            {
                bus = await buses.AcquireAsync(sensor.BusKey, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return SensorReadResult.Failure(SensorFaultKind.BusBusy,
                    $"Bus {sensor.BusKey} stayed busy with other sensors' reads for {settings.BusWaitTimeout.TotalMilliseconds:0} ms; {sensor.Source} was not read.");
            }
        }

        // The read's own budget starts now that it has the bus.
        readInFlight = ReadHoldingAsync(bus);
        if (await FinishesWithinAsync(readInFlight, settings.ReadTimeout, cancellationToken).ConfigureAwait(false))
        {
            return await readInFlight.ConfigureAwait(false);
        }

        return SensorReadResult.Failure(SensorFaultKind.Timeout,
            $"{sensor.Source} did not answer within {settings.ReadTimeout.TotalMilliseconds:0} ms of getting bus {sensor.BusKey}.");
    }

    // False when `budget` passes on the poller's clock first; throws when `cancellationToken` is cancelled.
    private async ValueTask<bool> FinishesWithinAsync(Task read, TimeSpan budget, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(budget, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await read.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<SensorReadResult> ReadHoldingAsync(IDisposable bus)
    {
        using (bus)
        {
            return await Task.Run(ReadGuarded, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private SensorReadResult ReadGuarded()
    {
        try
        {
            return sensor.Read();
        }
#pragma warning disable CA1031 // A driver's surprise must become a fault event, never a dead poller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            SensorLog.DriverThrew(logger, descriptor.Id, exception);
            return SensorReadResult.Failure(exception is IOException ? SensorFaultKind.BusError : SensorFaultKind.NoData,
                $"{exception.GetType().Name}: {exception.Message}");
        }
    }
}
