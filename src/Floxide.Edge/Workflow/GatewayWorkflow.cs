using System.Diagnostics.Metrics;
using Floxide.Core.Graph;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;
using Floxide.Edge.Sensors;
using Floxide.Edge.Workflow.Nodes;
using Floxide.Events;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Workflow;

/// <summary>
/// The gateway's event-driven workflow, assembled: one <see cref="GatewayEventChannel"/> fed by every sensor source and
/// the timer; readings routed validate → calibrate → classify → alert → publish filter → publish → back to the queue;
/// faults, status changes and ticks routed to their processors; a node that throws dead-letters its event (logged,
/// counted, receipt completed) and the gateway carries on.
/// </summary>
/// <remarks>
/// <para>Host wiring: create it once with the validated options and the sinks, hand <see cref="Events"/> to the
/// producers as their <see cref="IGatewayEventWriter"/>, then <c>await RunAsync(stoppingToken)</c> in a background
/// service; on shutdown, complete the producers, cancel the run and <c>await DisposeAsync()</c> to drain alert
/// deliveries and flush the alert state file. On an options reload call <see cref="Reconfigure"/>.</para>
/// <para><see cref="RunAsync"/> runs one loop; every other member is thread-safe.</para>
/// </remarks>
public sealed partial class GatewayWorkflow : IAsyncDisposable
{
    /// <summary>The workflow's name in metrics, logs and the graph.</summary>
    public const string WorkflowName = "gateway";

    /// <summary>The timer source's id.</summary>
    public const string TimerId = "timer";

    // Alert changes within a second share one write of the state file: under a storm of them the SD card sees one
    // write a second rather than one per change, and a crash loses at most that second (its alerts are notified again).
    private static readonly TimeSpan AlertStateWriteInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider timeProvider;
    private readonly ILogger<GatewayWorkflow> logger;
    private readonly ReadingCalibrator calibrator;
    private readonly ReportByExceptionFilter filter;
    private readonly ReadingSmoother smoother;
    private readonly WindowedAggregator aggregator;
    private readonly AlertStateFile stateFile;
    private readonly GatewayContext context = new();
    private readonly SensorDirectory directory;
    private readonly TimeSpan checkInterval;
    private long deadLetters;
    private long lastTickTicks;
    private bool restored;

    /// <summary>Assembles the workflow.</summary>
    /// <param name="classification">Validated classification options.</param>
    /// <param name="alerts">Validated alert options; <see cref="AlertOptions.StateFile"/> should be an absolute path (the host resolves it against its state directory).</param>
    /// <param name="reporting">Validated reporting options.</param>
    /// <param name="workflow">Queue capacities.</param>
    /// <param name="directory">The known sensors.</param>
    /// <param name="readingSink">Where published readings go.</param>
    /// <param name="alertSinks">Where alert notifications go: log, GPIO, MQTT.</param>
    /// <param name="timeProvider">The gateway's clock.</param>
    /// <param name="loggerFactory">Creates the components' loggers.</param>
    /// <param name="meter">The meter for every instrument (the host's, from its IMeterFactory).</param>
    /// <param name="aggregateSink">Where closed aggregate windows go, when aggregates are on.</param>
    /// <exception cref="ArgumentException">Some options are invalid; the message names each key, value and fix.</exception>
    public GatewayWorkflow(
        ClassificationOptions classification,
        AlertOptions alerts,
        ReportingOptions reporting,
        GatewayWorkflowOptions workflow,
        SensorDirectory directory,
        IReadingSink readingSink,
        IEnumerable<IAlertSink> alertSinks,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        Meter? meter = null,
        IAggregateSink? aggregateSink = null)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(reporting);
        ArgumentNullException.ThrowIfNull(readingSink);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        logger = loggerFactory.CreateLogger<GatewayWorkflow>();
        var settings = ClassificationSettings.Create(classification);
        ReportingOptionsValidator.ThrowIfInvalid(reporting);
        checkInterval = alerts.CheckInterval;

        Events = new GatewayEventChannel(workflow, meter, directory);
        Validator = new ReadingValidator(settings, directory, timeProvider, loggerFactory.CreateLogger<ReadingValidator>(), meter);
        calibrator = new ReadingCalibrator(settings);
        Classifier = new ThresholdClassifier(settings, Validator.Counts, meter);
        Dispatcher = new AlertDispatcher(alertSinks, alerts.Delivery, timeProvider, loggerFactory.CreateLogger<AlertDispatcher>(), meter);
        stateFile = new AlertStateFile(alerts.StateFile, timeProvider, loggerFactory.CreateLogger<AlertStateFile>(), AlertStateWriteInterval);
        Alerts = new AlertBook(alerts, stateFile, Dispatcher, directory, timeProvider, loggerFactory.CreateLogger<AlertBook>(), meter);
        filter = new ReportByExceptionFilter(reporting);
        smoother = new ReadingSmoother(reporting.Smoothing);
        aggregator = new WindowedAggregator(reporting.Aggregates);

        var builder = new EventDrivenWorkflowBuilder<GatewayEvent, GatewayContext, GatewayAction>(WorkflowName)
            .AddSource(Events, GatewayAction.Next)
            .AddProcessor(new EventDispatchNode())
            .AddProcessor(new ValidateNode(Validator))
            .AddProcessor(new CalibrateNode(calibrator, Validator))
            .AddProcessor(new ClassifyNode(Classifier))
            .AddProcessor(new AlertNode(Alerts))
            .AddProcessor(new PublishFilterNode(aggregator, smoother, filter, aggregateSink))
            .AddProcessor(new PublishNode(readingSink))
            .AddProcessor(new DiscardNode())
            .AddProcessor(new FaultNode(loggerFactory.CreateLogger<FaultNode>()))
            .AddProcessor(new SensorStatusNode(Alerts))
            .AddProcessor(new WatchdogNode(Alerts, aggregator, aggregateSink, OnTickProcessed))
            .AddProcessor(new SensorRemovedNode(directory, Validator, Classifier, Alerts, aggregator, smoother, filter, aggregateSink))
            .Route(GatewayEventChannel.SourceId, GatewayAction.Next, EventDispatchNode.NodeId)
            .Route(EventDispatchNode.NodeId, GatewayAction.Reading, ValidateNode.NodeId)
            .Route(EventDispatchNode.NodeId, GatewayAction.Fault, FaultNode.NodeId)
            .Route(EventDispatchNode.NodeId, GatewayAction.Status, SensorStatusNode.NodeId)
            .Route(EventDispatchNode.NodeId, GatewayAction.Tick, WatchdogNode.NodeId)
            .Route(EventDispatchNode.NodeId, GatewayAction.Removed, SensorRemovedNode.NodeId)
            .Route(ValidateNode.NodeId, GatewayAction.Valid, CalibrateNode.NodeId)
            .Route(ValidateNode.NodeId, GatewayAction.Invalid, DiscardNode.NodeId)
            .Route(CalibrateNode.NodeId, GatewayAction.Calibrated, ClassifyNode.NodeId)
            .Route(CalibrateNode.NodeId, GatewayAction.Invalid, DiscardNode.NodeId)
            .Route(ClassifyNode.NodeId, GatewayAction.Normal, AlertNode.NodeId)
            .Route(ClassifyNode.NodeId, GatewayAction.Warning, AlertNode.NodeId)
            .Route(ClassifyNode.NodeId, GatewayAction.Critical, AlertNode.NodeId)
            .Route(ClassifyNode.NodeId, GatewayAction.Invalid, DiscardNode.NodeId)
            .Route(AlertNode.NodeId, GatewayAction.Checked, PublishFilterNode.NodeId)
            .Route(PublishFilterNode.NodeId, GatewayAction.Publish, PublishNode.NodeId)
            .Route(PublishFilterNode.NodeId, GatewayAction.Skip, GatewayEventChannel.SourceId)
            .Route(PublishNode.NodeId, GatewayAction.Done, GatewayEventChannel.SourceId)
            .Route(DiscardNode.NodeId, GatewayAction.Done, GatewayEventChannel.SourceId)
            .Route(FaultNode.NodeId, GatewayAction.Done, GatewayEventChannel.SourceId)
            .Route(SensorStatusNode.NodeId, GatewayAction.Done, GatewayEventChannel.SourceId)
            .Route(WatchdogNode.NodeId, GatewayAction.Done, GatewayEventChannel.SourceId)
            .Route(SensorRemovedNode.NodeId, GatewayAction.Done, GatewayEventChannel.SourceId)
            .DeadLetterOnError(OnDeadLetterAsync)
            .WithTimeProvider(timeProvider);
        if (meter is not null)
        {
            builder.WithMeter(meter);
        }

        Workflow = builder.Build();
        this.directory = directory;
        directory.Removed += OnSensorRemoved;
    }

    /// <summary>
    /// Where producers write events (readings, faults, status changes) through <see cref="IGatewayEventWriter"/>; the
    /// host completes it on shutdown.
    /// </summary>
    public GatewayEventChannel Events { get; }

    /// <summary>The engine's workflow, e.g. for <see cref="EventDrivenWorkflow{TEvent, TContext, TAction}.GetActivity"/> in the watchdog.</summary>
    public EventDrivenWorkflow<GatewayEvent, GatewayContext, GatewayAction> Workflow { get; }

    /// <summary>The validator, whose <see cref="ReadingValidator.Counts"/> hold invalid and suspect readings per reason.</summary>
    public ReadingValidator Validator { get; }

    /// <summary>The classifier.</summary>
    public ThresholdClassifier Classifier { get; }

    /// <summary>The alert lifecycle, with the active alerts.</summary>
    public AlertBook Alerts { get; }

    /// <summary>The alert dispatcher, with delivery figures per sink.</summary>
    public AlertDispatcher Dispatcher { get; }

    /// <summary>The time of the last timer tick the workflow processed: a health check can tell from it that the loop turns.</summary>
    public DateTimeOffset LastTick => new(Interlocked.Read(ref lastTickTicks), TimeSpan.Zero);

    /// <summary>Raised on the workflow loop after each timer tick is processed (stale checks and reminders done), with the tick's time.</summary>
    public event Action<DateTimeOffset>? TickProcessed;

    /// <summary>Events dead-lettered since start: a node threw, or an event had no route.</summary>
    public long DeadLetters => Interlocked.Read(ref deadLetters);

    /// <summary>How many sensors each component keeps state for, so tests can tell that a removed sensor left nothing behind.</summary>
    internal (int Validator, int Classifier, int Alerts, int Smoother, int Filter, int Aggregator) TrackedSensors =>
        (Validator.TrackedSensors, Classifier.TrackedSensors, Alerts.TrackedSensors, smoother.TrackedSensors, filter.TrackedSensors, aggregator.TrackedSensors);

    /// <summary>The workflow's graph as a Mermaid flowchart (the timer feeds the queue from outside the graph).</summary>
    /// <returns>The flowchart's source.</returns>
    public string ToMermaid() => MermaidFlowchart.Render(Workflow.ToGraph());

    /// <summary>
    /// Restores the alerts that were active before a restart (the first time only), starts the timer that drives
    /// stale checks and reminders, and runs the workflow until <paramref name="cancellationToken"/> is cancelled or
    /// the queue is completed and drained.
    /// </summary>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>How the run ended.</returns>
    public async Task<EventWorkflowResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (!restored)
        {
            restored = true;
            foreach (var alert in Alerts.Restore())
            {
                if (alert is { Kind: AlertKind.Threshold, Quantity: { } quantity })
                {
                    Classifier.Restore(alert.SensorId, quantity, alert.Zone);
                }
            }
        }

        using var timer = new TimerEventSource(TimerId, checkInterval, timeProvider);
        using var stopTicks = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ticks = Events.ForwardTicksAsync(timer, stopTicks.Token);
        try
        {
            return await Workflow.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopTicks.CancelAsync().ConfigureAwait(false);
            try
            {
                await ticks.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
            }
        }
    }

    /// <summary>
    /// Takes new configuration at run time, all or nothing: every given options object is validated first, then
    /// applied. Sensors keep their zones, active alerts stay active with their reminders, and stale tracking carries
    /// on, so a reload by itself neither raises nor clears an alert; the next reading is judged with the new rules.
    /// The alert state file, the check interval, sink delivery retries, GPIO outputs and queue capacities take effect on restart.
    /// </summary>
    /// <param name="classification">New classification options, or null to keep the current ones.</param>
    /// <param name="alerts">New alert options, or null.</param>
    /// <param name="reporting">New reporting options, or null.</param>
    /// <exception cref="ArgumentException">Some options are invalid; nothing was applied.</exception>
    public void Reconfigure(ClassificationOptions? classification = null, AlertOptions? alerts = null, ReportingOptions? reporting = null)
    {
        var settings = classification is null ? null : ClassificationSettings.Create(classification);
        if (alerts is not null)
        {
            var problems = AlertOptionsValidator.Problems(alerts);
            if (problems.Count > 0)
            {
                throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(alerts));
            }
        }

        if (reporting is not null)
        {
            ReportingOptionsValidator.ThrowIfInvalid(reporting);
        }

        if (settings is not null)
        {
            Validator.Reconfigure(settings);
            calibrator.Reconfigure(settings);
            Classifier.Reconfigure(settings);
        }

        if (alerts is not null)
        {
            Alerts.Reconfigure(alerts);
        }

        if (reporting is not null)
        {
            filter.Reconfigure(reporting);
            smoother.Reconfigure(reporting.Smoothing);
            aggregator.Reconfigure(reporting.Aggregates);
        }

        LogReconfigured(classification is not null, alerts is not null, reporting is not null);
    }

    /// <summary>Delivers queued alert notifications (up to 5 s) and writes the alert state file.</summary>
    /// <returns>A task that completes when both are done.</returns>
    public async ValueTask DisposeAsync()
    {
        directory.Removed -= OnSensorRemoved;
        await Dispatcher.DisposeAsync().ConfigureAwait(false);
        await stateFile.DisposeAsync().ConfigureAwait(false);
        Events.Dispose();
    }

    /// <summary>Waits until the alert state and every queued alert notification are written and delivered.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when both are flushed.</returns>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await stateFile.FlushAsync(cancellationToken).ConfigureAwait(false);
        await Dispatcher.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnSensorRemoved(SensorDescriptor sensor)
    {
        // Raised on whichever thread removed the sensor; the state to drop belongs to the workflow loop, so the
        // removal travels through the queue like any other event.
        var removal = new SensorRemoved(sensor.Id, timeProvider.GetUtcNow());
        if (!Events.TryWriteControl(removal))
        {
            _ = QueueRemovalAsync(removal);
        }
    }

    private async Task QueueRemovalAsync(SensorRemoved removal)
    {
        try
        {
            await Events.WriteAsync(removal).ConfigureAwait(false);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // The gateway is stopping: its per-sensor state goes with it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void OnTickProcessed(DateTimeOffset now)
    {
        Interlocked.Exchange(ref lastTickTicks, now.UtcTicks);
        TickProcessed?.Invoke(now);
    }

    private ValueTask OnDeadLetterAsync(DeadLetter<GatewayEvent> deadLetter, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref deadLetters);
        LogDeadLetter(deadLetter.Exception, deadLetter.NodeId, deadLetter.Event.GetType().Name, deadLetter.Event.ToString());
        if (deadLetter.Event is SensorReading reading)
        {
            // The failure is logged and counted; holding the receipt back would only make the broker redeliver a poison message.
            reading.Receipt?.Complete();
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Node {NodeId} failed on a {EventType} ({Event}); the event was dropped and the gateway carries on.")]
    private partial void LogDeadLetter(Exception exception, string nodeId, string eventType, string? @event);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration reloaded (classification: {Classification}, alerts: {Alerts}, reporting: {Reporting}); alert state kept.")]
    private partial void LogReconfigured(bool classification, bool alerts, bool reporting);
}
