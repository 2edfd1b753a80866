using System.Globalization;
using System.Text;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Gateway.Status;

/// <summary>
/// What the gateway is doing, in the terms an operator cares about: its sensors and their last values, active alerts,
/// the broker connection and the outbox depth. Features report into it; systemd's <c>STATUS=</c>, the live console
/// table and the health endpoint read it.
/// </summary>
/// <remarks>Thread-safe: reporters write from their own threads, readers take a <see cref="Snapshot"/>.</remarks>
public sealed class GatewayStatus
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SensorEntry> sensors = new(StringComparer.Ordinal);
    private readonly TimeProvider timeProvider;
    private IReadOnlyList<string> activeAlerts = [];
    private string? broker;
    private string? embeddedBroker;
    private long? outboxDepth;
    private Func<long>? outboxDepthSource;
    private string? workflow;

    /// <summary>Creates an empty status.</summary>
    /// <param name="timeProvider">Stamps sensor updates.</param>
    public GatewayStatus(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.timeProvider = timeProvider;
    }

    /// <summary>Records a sensor's latest value and state.</summary>
    /// <param name="sensorId">The sensor's id.</param>
    /// <param name="state">Its state, e.g. <c>normal</c>, <c>high</c>, <c>offline</c>.</param>
    /// <param name="lastValue">Its latest value as text (e.g. <c>21.4 °C</c>), or <see langword="null"/> to keep the previous one.</param>
    /// <param name="isOnline"><see langword="false"/> while the sensor is failing or silent.</param>
    public void ReportSensor(string sensorId, string state, string? lastValue, bool isOnline = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(sensorId);
        ArgumentNullException.ThrowIfNull(state);
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            var entry = EntryOf(sensorId);
            entry.Update(state, isOnline, now);
            if (lastValue is not null)
            {
                entry.SetText(lastValue);
            }
        }
    }

    /// <summary>
    /// Records a sensor's latest reading: its values are copied and shown as text only when a snapshot asks, since
    /// this runs for every reading the gateway publishes.
    /// </summary>
    /// <param name="reading">The reading.</param>
    /// <param name="state">The sensor's state, e.g. <c>normal</c>.</param>
    public void ReportReading(SensorReading reading, string state)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(state);
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            var entry = EntryOf(reading.SensorId);
            entry.Update(state, online: true, now);
            entry.SetValues(reading);
        }
    }

    /// <summary>Forgets a sensor, e.g. after a configuration reload removed it.</summary>
    /// <param name="sensorId">The sensor's id.</param>
    public void RemoveSensor(string sensorId)
    {
        lock (gate)
        {
            sensors.Remove(sensorId);
        }
    }

    /// <summary>Replaces the list of active alerts.</summary>
    /// <param name="alerts">One line per active alert, e.g. <c>greenhouse: temperature critical (41.2 °C)</c>.</param>
    public void ReportActiveAlerts(IReadOnlyCollection<string> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        string[] copy = [.. alerts];
        lock (gate)
        {
            activeAlerts = copy;
        }
    }

    /// <summary>Records the broker connection's state. It is shown, never judged: a broker outage is not ill health.</summary>
    /// <param name="state">For example <c>connected mqtt://broker:1883</c> or <c>offline: refused (not authorized)</c>.</param>
    public void ReportBroker(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (gate)
        {
            broker = state;
        }
    }

    /// <summary>Records the embedded broker's state, shown before the connection's.</summary>
    /// <param name="state">For example <c>embedded 127.0.0.1:1883, 2 clients</c>.</param>
    public void ReportEmbeddedBroker(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (gate)
        {
            embeddedBroker = state;
        }
    }

    /// <summary>Records how many messages wait in the outbox.</summary>
    /// <param name="depth">The number of stored messages not yet published.</param>
    public void ReportOutboxDepth(long depth)
    {
        lock (gate)
        {
            outboxDepth = depth;
            outboxDepthSource = null;
        }
    }

    /// <summary>Reads the outbox depth from <paramref name="depth"/> at each snapshot, so it is always current.</summary>
    /// <param name="depth">Returns the number of stored messages not yet published; cheap and thread-safe.</param>
    public void ReportOutboxDepth(Func<long> depth)
    {
        ArgumentNullException.ThrowIfNull(depth);
        lock (gate)
        {
            outboxDepthSource = depth;
        }
    }

    /// <summary>Records the workflow's state, e.g. <c>running temperature-monitor</c>.</summary>
    /// <param name="state">The state.</param>
    public void ReportWorkflow(string state)
    {
        lock (gate)
        {
            workflow = state;
        }
    }

    /// <summary>Copies the current status.</summary>
    /// <returns>A consistent copy.</returns>
    public GatewayStatusSnapshot Snapshot()
    {
        lock (gate)
        {
            return new GatewayStatusSnapshot(
                [.. sensors.Values.OrderBy(sensor => sensor.SensorId, StringComparer.Ordinal).Select(sensor => sensor.ToStatus())],
                activeAlerts,
                (embeddedBroker, broker) switch
                {
                    (null, null) => "none",
                    (null, { } connection) => connection,
                    ({ } embedded, null) => embedded,
                    ({ } embedded, { } connection) => $"{embedded}; {connection}",
                },
                outboxDepthSource is { } source ? source() : outboxDepth,
                workflow);
        }
    }

    private SensorEntry EntryOf(string sensorId)
    {
        if (!sensors.TryGetValue(sensorId, out var entry))
        {
            sensors[sensorId] = entry = new SensorEntry(sensorId);
        }

        return entry;
    }

    /// <summary>A sensor's row, updated in place; guarded by the status's lock.</summary>
    private sealed class SensorEntry(string sensorId)
    {
        private readonly double[] values = new double[Quantities.All.Count];
        private string? text;
        private bool hasValues;
        private string state = "";
        private bool isOnline;
        private DateTimeOffset updatedAt;

        public string SensorId => sensorId;

        public void Update(string newState, bool online, DateTimeOffset now)
        {
            state = newState;
            isOnline = online;
            updatedAt = now;
        }

        public void SetText(string lastValue)
        {
            text = lastValue;
            hasValues = false;
        }

        public void SetValues(SensorReading reading)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reading.TryGetValue(Quantities.All[i], out var value) ? value : double.NaN;
            }

            text = null;
            hasValues = true;
        }

        public SensorStatus ToStatus()
        {
            if (text is null && hasValues)
            {
                text = DescribeValues();
            }

            return new SensorStatus(sensorId, state, text, isOnline, updatedAt);
        }

        private string DescribeValues()
        {
            var line = new StringBuilder(32);
            for (var i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]))
                {
                    continue;
                }

                if (line.Length > 0)
                {
                    line.Append("  ");
                }

                var quantity = Quantities.All[i];
                line.Append(values[i].ToString(quantity == Quantity.Pressure ? "0" : "0.0", CultureInfo.InvariantCulture)).Append(' ').Append(quantity.Unit());
            }

            return line.Length == 0 ? "-" : line.ToString();
        }
    }
}

/// <summary>One sensor's row in the status.</summary>
/// <param name="SensorId">The sensor's id.</param>
/// <param name="State">Its state, e.g. <c>normal</c>, <c>high</c>, <c>offline</c>.</param>
/// <param name="LastValue">Its latest value as text.</param>
/// <param name="IsOnline"><see langword="false"/> while the sensor is failing or silent.</param>
/// <param name="UpdatedAt">When it was last reported.</param>
public sealed record SensorStatus(string SensorId, string State, string? LastValue, bool IsOnline, DateTimeOffset UpdatedAt);

/// <summary>A consistent copy of <see cref="GatewayStatus"/>.</summary>
/// <param name="Sensors">The sensors, ordered by id.</param>
/// <param name="ActiveAlerts">One line per active alert.</param>
/// <param name="Broker">The broker connection's state.</param>
/// <param name="OutboxDepth">Messages waiting in the outbox, or <see langword="null"/> when there is no outbox.</param>
/// <param name="Workflow">The workflow's state, or <see langword="null"/> before it started.</param>
public sealed record GatewayStatusSnapshot(
    IReadOnlyList<SensorStatus> Sensors,
    IReadOnlyList<string> ActiveAlerts,
    string Broker,
    long? OutboxDepth,
    string? Workflow)
{
    /// <summary>The one-line summary systemd shows as the unit's status.</summary>
    /// <returns>For example <c>3 sensors (3 online), 1 active alert, broker: embedded 127.0.0.1:1883, outbox: 0</c>.</returns>
    public string ToStatusLine()
    {
        var online = Sensors.Count(sensor => sensor.IsOnline);
        var alerts = ActiveAlerts.Count == 1 ? "1 active alert" : $"{ActiveAlerts.Count} active alerts";
        var sensorsText = Sensors.Count == 1 ? "1 sensor" : $"{Sensors.Count} sensors";
        var outbox = OutboxDepth is { } depth ? $", outbox: {depth}" : string.Empty;
        return $"{sensorsText} ({online} online), {alerts}, broker: {Broker}{outbox}";
    }
}
