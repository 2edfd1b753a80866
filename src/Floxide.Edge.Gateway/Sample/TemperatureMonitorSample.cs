using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Floxide.Edge.Gateway.Broker;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Gateway.Workflow;
using Floxide.Edge.Readings;
using Floxide.Events;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Gateway.Sample;

/// <summary>
/// ADR-0009's temperature monitor, kept as the gateway's workflow until the real one is wired in: readings are
/// classified (normal, high, low, critical), the class becomes the sensor's state and, when not normal, an active
/// alert, and each reading is published to the embedded broker as <c>floxide/sample/&lt;sensor&gt;/reading</c>.
/// </summary>
public static partial class TemperatureMonitorSample
{
    /// <summary>The workflow's name.</summary>
    public const string Name = "temperature-monitor";

    /// <summary>Builds the workflow.</summary>
    /// <param name="readings">The input channel.</param>
    /// <param name="status">Receives sensor states and alerts.</param>
    /// <param name="broker">Where readings are published, or <see langword="null"/> without the embedded broker.</param>
    /// <param name="debug">Fault injection.</param>
    /// <param name="meter">The meter for the engine's instruments.</param>
    /// <param name="logger">Logs classifications at debug level and fault injection.</param>
    /// <returns>The workflow.</returns>
    public static EventDrivenWorkflow<SensorReading, SampleContext, string> Build(
        ChannelEventSource<SensorReading> readings,
        GatewayStatus status,
        EmbeddedBroker? broker,
        DebugOptions debug,
        System.Diagnostics.Metrics.Meter meter,
        ILogger logger)
    {
        IEventProcessor<SensorReading, SampleContext, string> Wrap(IEventProcessor<SensorReading, SampleContext, string> node) =>
            FaultInjection.Apply(node, debug, logger);

        return new EventDrivenWorkflowBuilder<SensorReading, SampleContext, string>(Name)
            .AddSource(readings, emits: "classify")
            .AddProcessor(Wrap(new ClassifierNode()))
            .AddProcessor(Wrap(new StateNode("log-normal", "normal", status)))
            .AddProcessor(Wrap(new StateNode("alert-high", "high", status)))
            .AddProcessor(Wrap(new StateNode("alert-low", "low", status)))
            .AddProcessor(Wrap(new StateNode("alert-critical", "critical", status)))
            .AddProcessor(Wrap(new PublishNode(broker)))
            .Route("readings", "classify", "classifier")
            .Route("classifier", "normal", "log-normal")
            .Route("classifier", "high", "alert-high")
            .Route("classifier", "low", "alert-low")
            .Route("classifier", "critical", "alert-critical")
            .Route("log-normal", "done", "publish")
            .Route("alert-high", "done", "publish")
            .Route("alert-low", "done", "publish")
            .Route("alert-critical", "done", "publish")
            .Route("publish", "published", "readings")
            .DeadLetterOnError((letter, _) =>
            {
                LogDropped(logger, letter.NodeId, letter.Exception);
                return ValueTask.CompletedTask;
            })
            .WithMeter(meter)
            .Build();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading dropped at node {Node}")]
    private static partial void LogDropped(ILogger logger, string node, Exception exception);

    private sealed class ClassifierNode : IEventProcessor<SensorReading, SampleContext, string>
    {
        public string Id => "classifier";

        public ValueTask<string> ProcessEventAsync(SensorReading @event, SampleContext context, CancellationToken cancellationToken = default)
        {
            var celsius = @event.TryGetValue(Quantity.Temperature, out var value) ? value : double.NaN;
            return ValueTask.FromResult(celsius switch
            {
                >= 35 => "critical",
                >= 28 => "high",
                < 12 => "low",
                _ => "normal",
            });
        }
    }

    private sealed class StateNode(string id, string state, GatewayStatus status) : IEventProcessor<SensorReading, SampleContext, string>
    {
        public string Id => id;

        public ValueTask<string> ProcessEventAsync(SensorReading @event, SampleContext context, CancellationToken cancellationToken = default)
        {
            @event.TryGetValue(Quantity.Temperature, out var celsius);
            var text = celsius.ToString("0.0", CultureInfo.InvariantCulture) + " °C";
            context.Classes[@event.SensorId] = state;
            status.ReportSensor(@event.SensorId, state, text);
            var alertChanged = state == "normal"
                ? context.Alerts.Remove(@event.SensorId)
                : context.Alerts.TryAdd(@event.SensorId, $"{@event.SensorId}: temperature {state} ({text})");
            if (alertChanged)
            {
                status.ReportActiveAlerts([.. context.Alerts.Values]);
            }

            return ValueTask.FromResult("done");
        }
    }

    private sealed class PublishNode(EmbeddedBroker? broker) : IEventProcessor<SensorReading, SampleContext, string>
    {
        private readonly ArrayBufferWriter<byte> buffer = new(256);

        public string Id => "publish";

        public async ValueTask<string> ProcessEventAsync(SensorReading @event, SampleContext context, CancellationToken cancellationToken = default)
        {
            context.Published++;
            if (broker is null)
            {
                return "published";
            }

            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("sensor", @event.SensorId);
                json.WriteNumber("seq", @event.Sequence);
                json.WriteString("at", @event.Timestamp);
                if (@event.TryGetValue(Quantity.Temperature, out var celsius))
                {
                    json.WriteNumber("temperature_c", Math.Round(celsius, 2));
                }

                json.WriteString("class", context.Classes.GetValueOrDefault(@event.SensorId, "unknown"));
                json.WriteEndObject();
            }

            await broker.PublishAsync($"floxide/sample/{@event.SensorId}/reading", buffer.WrittenMemory, retain: true, cancellationToken).ConfigureAwait(false);
            return "published";
        }
    }
}

/// <summary>The sample's state: each sensor's class and the active alerts. Used by the workflow's one loop only.</summary>
public sealed class SampleContext
{
    /// <summary>Each sensor's latest class.</summary>
    public Dictionary<string, string> Classes { get; } = new(StringComparer.Ordinal);

    /// <summary>Active alerts by sensor.</summary>
    public SortedDictionary<string, string> Alerts { get; } = new(StringComparer.Ordinal);

    /// <summary>Readings published.</summary>
    public long Published { get; set; }
}
