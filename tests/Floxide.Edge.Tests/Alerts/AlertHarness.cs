using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Alerts;

/// <summary>A classifier feeding a real alert book, dispatcher and state file, with a recording sink: restartable on the same file.</summary>
internal sealed class AlertHarness : IAsyncDisposable
{
    private readonly ReadingClassification classification = new();
    private readonly AlertStateFile stateFile;

    public AlertHarness(FakeTimeProvider time, string stateDirectory, SensorDirectory directory, AlertOptions? options = null, ClassificationOptions? classificationOptions = null)
    {
        Time = time;
        Options = options ?? new AlertOptions();
        Options.StateFile = Path.Combine(stateDirectory, "alerts.json");
        Options.Delivery.RetryDelay = TimeSpan.Zero;
        stateFile = new AlertStateFile(Options.StateFile, time, NullLogger<AlertStateFile>.Instance);
        Dispatcher = new AlertDispatcher([Sink], Options.Delivery, time, NullLogger<AlertDispatcher>.Instance);
        Book = new AlertBook(Options, stateFile, Dispatcher, directory, time, NullLogger<AlertBook>.Instance);
        Classifier = new ThresholdClassifier(ClassificationSettings.Create(classificationOptions ?? EdgeTestKit.Temperature()));
        foreach (var alert in Book.Restore())
        {
            if (alert.Quantity is { } quantity)
            {
                Classifier.Restore(alert.SensorId, quantity, alert.Zone);
            }
        }
    }

    public FakeTimeProvider Time { get; }

    public AlertOptions Options { get; }

    public RecordingAlertSink Sink { get; } = new();

    public AlertDispatcher Dispatcher { get; }

    public AlertBook Book { get; }

    public ThresholdClassifier Classifier { get; }

    public long StateWrites => stateFile.Writes;

    public void Feed(string sensorId, double? celsius = null, double? humidity = null)
    {
        var reading = EdgeTestKit.Reading(sensorId, Time.GetUtcNow(), celsius, humidity);
        if (Classifier.Classify(reading, classification) != ClassificationVerdict.Invalid)
        {
            Book.OnClassified(classification);
        }
    }

    public void Tick() => Book.OnTick(Time.GetUtcNow());

    public async Task<IReadOnlyList<string>> LogAsync()
    {
        await FlushAsync();
        return [.. Sink.Notifications.Select(n => $"{(n.Timestamp - EdgeTestKit.Start):hh\\:mm} {n.Transition} {n.Alert.Severity} {n.Alert.Id}")];
    }

    public async Task FlushAsync()
    {
        await stateFile.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Dispatcher.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await stateFile.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
