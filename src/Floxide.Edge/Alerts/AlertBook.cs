using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.InteropServices;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Telemetry;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Alerts;

/// <summary>
/// The alert lifecycle: raises an alert when a sensor's quantity enters a warning or critical zone, escalates and
/// de-escalates it between them, clears it on the return to normal, and re-notifies it while active; raises stale
/// alerts for sensors silent too long (checked on every timer tick) and offline alerts for sensors that went offline.
/// Every transition is notified exactly once through the <see cref="AlertDispatcher"/>, and the active alerts are
/// persisted whenever they change, so a restart neither re-raises nor forgets one.
/// </summary>
/// <remarks>
/// Called from the workflow loop only (<see cref="OnClassified"/>, <see cref="OnStatusChanged"/>, <see cref="OnTick"/>);
/// <see cref="Reconfigure"/> and <see cref="Active"/> may be used from any thread.
/// </remarks>
public sealed partial class AlertBook
{
    private readonly Dictionary<string, ActiveAlert> active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SensorWatch> watches = new(StringComparer.Ordinal);
    private readonly AlertStateFile store;
    private readonly AlertDispatcher dispatcher;
    private readonly SensorDirectory directory;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<AlertBook> logger;
    private readonly Counter<long> transitions;
    private AlertOptions options;
    private Alert[] snapshot = [];
    private SensorDescriptor[] sensors = [];
    private int sensorsChanged = 1;
    private long nextSequence = 1;
    private bool restored;

    /// <summary>Creates the book.</summary>
    /// <param name="options">Validated alert options.</param>
    /// <param name="store">Where active alerts are persisted.</param>
    /// <param name="dispatcher">Where notifications go.</param>
    /// <param name="directory">The known sensors, for stale checks.</param>
    /// <param name="timeProvider">The gateway's clock.</param>
    /// <param name="logger">Logs restored alerts.</param>
    /// <param name="meter">The meter for <c>floxide.alerts.transitions</c> and <c>floxide.alerts.active</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public AlertBook(AlertOptions options, AlertStateFile store, AlertDispatcher dispatcher, SensorDirectory directory, TimeProvider timeProvider,
        ILogger<AlertBook> logger, Meter? meter = null)
    {
        ThrowIfInvalid(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.options = options;
        this.store = store;
        this.dispatcher = dispatcher;
        this.directory = directory;
        this.timeProvider = timeProvider;
        this.logger = logger;
        meter ??= EdgeMeter.Default;
        transitions = meter.CreateCounter<long>("floxide.alerts.transitions", "{notification}", "Alert notifications, by transition and severity.");
        meter.CreateObservableGauge("floxide.alerts.active", () => Volatile.Read(ref snapshot).Length, "{alert}", "Alerts active now.");
        directory.Registered += OnDirectoryChanged;
        directory.Removed += OnDirectoryChanged;
    }

    /// <summary>The active alerts, as of the last change.</summary>
    public IReadOnlyList<Alert> Active => Volatile.Read(ref snapshot);

    /// <summary>
    /// Loads the alerts that were active before a restart and notifies each as <see cref="AlertTransition.Restored"/>
    /// (sinks rebuild their outputs; nobody is told of a new alert). The restart counts as each alert's last
    /// notification, so its first reminder comes one <see cref="AlertOptions.RenotifyInterval"/> later. Call once,
    /// before the first event.
    /// </summary>
    /// <returns>The restored alerts, e.g. to put the classifier back in their zones.</returns>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public IReadOnlyList<Alert> Restore()
    {
        if (restored)
        {
            throw new InvalidOperationException("The alert book has already restored its state.");
        }

        restored = true;
        var state = store.Load();
        var now = timeProvider.GetUtcNow();
        nextSequence = Math.Max(1, state.NextSequence) + RemindersPossiblySentSince(state, now);
        foreach (var persisted in state.Alerts)
        {
            if (persisted?.Alert is not { IsActive: true } alert || string.IsNullOrEmpty(alert.Id))
            {
                continue;
            }

            // The Restored notification reaches every sink (the log a person reads among them), so the restart counts
            // as the alert's last notification: the first reminder is due one interval after it. The persisted time is
            // only as fresh as the last state change, since reminders are not written to the SD card; taking it would
            // remind of every old alert on the first tick, right on top of its Restored notification.
            active[alert.Id] = new ActiveAlert(alert) { LastNotifiedAt = now };
            var watch = Watch(alert.SensorId, now);
            watch.Stale |= alert.Kind == AlertKind.Stale;
            watch.Offline |= alert.Kind == AlertKind.Offline;
            Notify(AlertTransition.Restored, alert, alert.Severity, now, persist: false);
        }

        snapshot = [.. active.Values.Select(entry => entry.Alert)];
        if (snapshot.Length > 0)
        {
            LogRestored(snapshot.Length, store.Path);
        }

        return snapshot;
    }

    /// <summary>Takes new validated options; active alerts, their reminders and every sensor's last-seen time are kept.</summary>
    /// <param name="options">The new options. <see cref="AlertOptions.StateFile"/>, <see cref="AlertOptions.CheckInterval"/>, <see cref="AlertOptions.Delivery"/> and <see cref="AlertOptions.GpioOutputs"/> take effect on restart.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public void Reconfigure(AlertOptions options)
    {
        ThrowIfInvalid(options);
        Volatile.Write(ref this.options, options);
    }

    /// <summary>Acts on a valid reading's classification: threshold transitions, and the sensor is seen (clearing stale and offline alerts).</summary>
    /// <param name="classification">The classifier's verdict on the reading.</param>
    public void OnClassified(ReadingClassification classification)
    {
        ArgumentNullException.ThrowIfNull(classification);
        var sensorId = classification.SensorId;
        var timestamp = classification.Timestamp;
        var watch = Watch(sensorId, timestamp);
        if (timestamp > watch.LastSeen)
        {
            watch.LastSeen = timestamp;
        }

        if (watch.Stale)
        {
            watch.Stale = false;
            Clear(AlertIds.Stale(sensorId), timestamp, $"{sensorId} reports again");
        }

        if (watch.Offline)
        {
            watch.Offline = false;
            Clear(AlertIds.Offline(sensorId), timestamp, $"{sensorId} is back online");
        }

        if (!classification.AnyChanged)
        {
            return;
        }

        foreach (var quantity in QuantitySet.All)
        {
            var outcome = classification[quantity];
            if (outcome.Measured && outcome.Changed)
            {
                OnZoneChanged(sensorId, quantity, outcome, timestamp);
            }
        }
    }

    /// <summary>Raises an offline alert when a sensor goes offline, and clears it when the sensor is back.</summary>
    /// <param name="change">The status change.</param>
    public void OnStatusChanged(SensorStatusChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!watches.ContainsKey(change.SensorId) && !directory.TryGet(change.SensorId, out _))
        {
            // A sensor the gateway neither knows nor watches has no alert to raise or clear, and gets no state.
            return;
        }

        var watch = Watch(change.SensorId, change.Timestamp);
        var id = AlertIds.Offline(change.SensorId);
        if (change.Status == SensorStatus.Offline && !watch.Offline)
        {
            watch.Offline = true;
            var severity = Volatile.Read(ref options).OfflineSeverity;
            Raise(new Alert
            {
                Id = id,
                Kind = AlertKind.Offline,
                Severity = severity,
                SensorId = change.SensorId,
                RaisedAt = change.Timestamp,
                ChangedAt = change.Timestamp,
                Message = $"{change.SensorId} is offline: {change.Reason}",
            });
        }
        else if (change.Status == SensorStatus.Online && watch.Offline)
        {
            watch.Offline = false;
            watch.LastSeen = Max(watch.LastSeen, change.Timestamp);
            Clear(id, change.Timestamp, $"{change.SensorId} is back online: {change.Reason}");
        }
    }

    /// <summary>
    /// Clears every active alert of a sensor taken out of the configuration, each with a
    /// <see cref="AlertTransition.Cleared"/> notification whose message says so, and forgets the sensor.
    /// </summary>
    /// <param name="sensorId">The removed sensor.</param>
    /// <param name="timestamp">When it was removed.</param>
    public void OnSensorRemoved(string sensorId, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(sensorId);
        watches.Remove(sensorId);
        List<string>? ids = null;
        foreach (var (id, entry) in active)
        {
            if (string.Equals(entry.Alert.SensorId, sensorId, StringComparison.Ordinal))
            {
                (ids ??= []).Add(id);
            }
        }

        foreach (var id in ids ?? [])
        {
            Clear(id, timestamp, $"{sensorId} was removed from the configuration; its alert ends with it");
        }
    }

    /// <summary>The number of sensors the book keeps last-seen times for.</summary>
    internal int TrackedSensors => watches.Count;

    /// <summary>Checks every known sensor for staleness and re-notifies active alerts whose reminder is due.</summary>
    /// <param name="now">The tick's time.</param>
    public void OnTick(DateTimeOffset now)
    {
        var current = Volatile.Read(ref options);
        if (Interlocked.Exchange(ref sensorsChanged, 0) == 1)
        {
            // Copied only when the directory changed: ConcurrentDictionary.Values copies on every call.
            sensors = [.. directory.All];
        }

        foreach (var sensor in sensors)
        {
            var watch = Watch(sensor.Id, now);
            var limit = sensor.Interval * current.StaleFactor;
            if (watch.Stale || watch.Offline || now - watch.LastSeen <= limit)
            {
                continue;
            }

            watch.Stale = true;
            Raise(new Alert
            {
                Id = AlertIds.Stale(sensor.Id),
                Kind = AlertKind.Stale,
                Severity = current.StaleSeverity,
                SensorId = sensor.Id,
                Threshold = limit.TotalSeconds,
                RaisedAt = now,
                ChangedAt = now,
                Message = string.Create(CultureInfo.InvariantCulture,
                    $"{sensor.Id} is stale: no valid reading since {watch.LastSeen:O}, more than {limit.TotalSeconds:0.#} s ({current.StaleFactor:0.#} × its {sensor.Interval.TotalSeconds:0.#} s interval)"),
            });
        }

        if (current.RenotifyInterval <= TimeSpan.Zero)
        {
            return;
        }

        foreach (var entry in active.Values)
        {
            if (now - entry.LastNotifiedAt >= current.RenotifyInterval)
            {
                entry.LastNotifiedAt = now;
                Notify(AlertTransition.Renotified, entry.Alert, entry.Alert.Severity, now, persist: false);
            }
        }
    }

    /// <summary>
    /// Reminders are not written to the state file (the SD card wears), so the run before the restart may have used
    /// sequence numbers past the persisted one: at most one per active alert per interval since its persisted last
    /// notification, up to now. Skipping that many keeps every number used once, as de-duplicating sinks key on
    /// (id, sequence); the skip is exact when the gateway restarts promptly, a gap when it was down for longer.
    /// </summary>
    private long RemindersPossiblySentSince(AlertState state, DateTimeOffset now)
    {
        var interval = Volatile.Read(ref options).RenotifyInterval;
        if (interval <= TimeSpan.Zero)
        {
            return 0;
        }

        long reminders = 0;
        foreach (var persisted in state.Alerts)
        {
            if (persisted?.Alert is { IsActive: true } && now > persisted.LastNotifiedAt)
            {
                reminders += (now - persisted.LastNotifiedAt).Ticks / interval.Ticks;
            }
        }

        return reminders;
    }

    private void OnZoneChanged(string sensorId, Quantity quantity, in QuantityClassification outcome, DateTimeOffset timestamp)
    {
        var id = AlertIds.Threshold(sensorId, quantity);
        if (outcome.Zone == ThresholdZone.Normal)
        {
            Clear(id, timestamp, ThresholdMessage(sensorId, quantity, outcome, "back to normal from"), outcome.Value);
            return;
        }

        if (active.TryGetValue(id, out var entry) && Math.Sign((int)entry.Alert.Zone) != Math.Sign((int)outcome.Zone))
        {
            // Jumped from one side straight to the other: a different condition, so end the old alert first.
            Clear(id, timestamp, ThresholdMessage(sensorId, quantity, outcome, "crossed over to"), outcome.Value);
            entry = null;
        }

        var severity = outcome.Zone.Severity();
        if (entry is null)
        {
            Raise(new Alert
            {
                Id = id,
                Kind = AlertKind.Threshold,
                Severity = severity,
                SensorId = sensorId,
                Quantity = quantity,
                Zone = outcome.Zone,
                Value = outcome.Value,
                Threshold = outcome.Threshold,
                RaisedAt = timestamp,
                ChangedAt = timestamp,
                Message = ThresholdMessage(sensorId, quantity, outcome, "at or beyond"),
            });
            return;
        }

        if (severity == entry.Alert.Severity)
        {
            return;
        }

        var previous = entry.Alert.Severity;
        entry.Alert = entry.Alert with
        {
            Severity = severity,
            Zone = outcome.Zone,
            Value = outcome.Value,
            Threshold = outcome.Threshold,
            ChangedAt = timestamp,
            Message = ThresholdMessage(sensorId, quantity, outcome, "at or beyond"),
        };
        entry.LastNotifiedAt = timestamp;
        Notify(severity > previous ? AlertTransition.Escalated : AlertTransition.Deescalated, entry.Alert, previous, timestamp, persist: true);
    }

    private static string ThresholdMessage(string sensorId, Quantity quantity, in QuantityClassification outcome, string relation)
    {
        var zone = outcome.Zone == ThresholdZone.Normal ? outcome.Previous : outcome.Zone;
        return string.Create(CultureInfo.InvariantCulture,
            $"{sensorId} {quantity.Name()} {outcome.Value:0.##} {quantity.Unit()} {relation} {zone.Name()} threshold {outcome.Threshold:0.##} {quantity.Unit()}");
    }

    private void Raise(Alert alert)
    {
        if (active.ContainsKey(alert.Id))
        {
            return;
        }

        active[alert.Id] = new ActiveAlert(alert) { LastNotifiedAt = alert.RaisedAt };
        Notify(AlertTransition.Raised, alert, Severity.Normal, alert.RaisedAt, persist: true);
    }

    private void Clear(string id, DateTimeOffset timestamp, string message, double? value = null)
    {
        if (!active.Remove(id, out var entry))
        {
            return;
        }

        // A threshold alert is cleared by a value, the latest transition's, which sinks show with the message.
        var cleared = entry.Alert with { ClearedAt = timestamp, Message = message, Value = value ?? entry.Alert.Value };
        Notify(AlertTransition.Cleared, cleared, entry.Alert.Severity, timestamp, persist: true);
    }

    private void Notify(AlertTransition transition, Alert alert, Severity previous, DateTimeOffset timestamp, bool persist)
    {
        var notification = new AlertNotification(nextSequence++, transition, alert, previous, timestamp);
        if (persist)
        {
            snapshot = [.. active.Values.Select(entry => entry.Alert)];
            store.Save(new AlertState(nextSequence, [.. active.Values.Select(entry => new PersistedAlert(entry.Alert, entry.LastNotifiedAt))]));
        }

        if (transitions.Enabled)
        {
            transitions.Add(1, new("transition", transition.ToString().ToLowerInvariant()), new(FloxideTelemetry.Tags.Severity, alert.Severity.Name()));
        }

        dispatcher.Publish(notification);
    }

    private SensorWatch Watch(string sensorId, DateTimeOffset firstSeen)
    {
        ref var watch = ref CollectionsMarshal.GetValueRefOrAddDefault(watches, sensorId, out _);
        return watch ??= new SensorWatch { LastSeen = firstSeen };
    }

    private void OnDirectoryChanged(SensorDescriptor sensor) => Volatile.Write(ref sensorsChanged, 1);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static void ThrowIfInvalid(AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = AlertOptionsValidator.Problems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored {Count} active alerts from {Path}; they are not raised again.")]
    private partial void LogRestored(int count, string path);

    private sealed class ActiveAlert(Alert alert)
    {
        public Alert Alert { get; set; } = alert;

        public DateTimeOffset LastNotifiedAt { get; set; }
    }

    private sealed class SensorWatch
    {
        public DateTimeOffset LastSeen { get; set; }

        public bool Stale { get; set; }

        public bool Offline { get; set; }
    }
}
