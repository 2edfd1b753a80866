using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Tests.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Alerts;

public sealed class AlertStateFileTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("floxide-state-");
    private readonly FakeTimeProvider time = new(EdgeTestKit.Start.AddHours(13).AddMinutes(7).AddSeconds(9));

    public void Dispose() => directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(directory.FullName, name);

    [Fact]
    public async Task Save_ThenLoadInANewInstance_RoundTripsTheState()
    {
        var alert = new Alert
        {
            Id = "a/humidity", Kind = AlertKind.Threshold, Severity = Severity.Critical, SensorId = "a", Quantity = Quantity.RelativeHumidity,
            Zone = ThresholdZone.CriticalLow, Value = 8.5, Threshold = 10, RaisedAt = EdgeTestKit.Start, ChangedAt = EdgeTestKit.Start.AddMinutes(1), Message = "dry",
        };
        var path = PathOf("nested/alerts.json");
        await using (var file = new AlertStateFile(path, time, NullLogger<AlertStateFile>.Instance))
        {
            file.Save(new AlertState(42, [new PersistedAlert(alert, EdgeTestKit.Start.AddMinutes(2))]));
        }

        await using var reopened = new AlertStateFile(path, time, NullLogger<AlertStateFile>.Instance);
        var state = reopened.Load();

        Assert.Equal(42, state.NextSequence);
        var persisted = Assert.Single(state.Alerts);
        Assert.Equal(alert, persisted.Alert);
        Assert.Equal(EdgeTestKit.Start.AddMinutes(2), persisted.LastNotifiedAt);
        Assert.Contains("\"zone\": \"CriticalLow\"", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task Save_FasterThanTheMinimumInterval_ChangesShareOneWriteAndAFlushWritesAtOnce()
    {
        var clock = new ObservedTimeProvider();
        await using var file = new AlertStateFile(PathOf("alerts.json"), clock, NullLogger<AlertStateFile>.Instance, TimeSpan.FromSeconds(1));

        file.Save(new AlertState(2, []));
        Assert.Equal(TimeSpan.FromSeconds(1), await clock.NextTimerAsync());
        file.Save(new AlertState(3, []));
        file.Save(new AlertState(4, []));
        Assert.Equal((1L, 2L), (file.Writes, file.Load().NextSequence));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), await clock.NextTimerAsync());
        Assert.Equal((2L, 4L), (file.Writes, file.Load().NextSequence));

        file.Save(new AlertState(5, []));
        await file.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((3L, 5L), (file.Writes, file.Load().NextSequence));
    }

    [Fact]
    public async Task Load_MissingFile_IsEmpty()
    {
        await using var file = new AlertStateFile(PathOf("none.json"), time, NullLogger<AlertStateFile>.Instance);

        Assert.Same(AlertState.Empty, file.Load());
    }

    [Fact]
    public async Task Load_CorruptFile_StartsEmptyAndSetsTheFileAside()
    {
        var path = PathOf("alerts.json");
        await File.WriteAllTextAsync(path, "{ \"alerts\": [ truncated");
        await using var file = new AlertStateFile(path, time, NullLogger<AlertStateFile>.Instance);

        Assert.Same(AlertState.Empty, file.Load());
        Assert.False(File.Exists(path));
        Assert.Equal("alerts.json.unreadable-20260601130709", Assert.Single(directory.GetFiles("alerts.json.unreadable-*")).Name);
    }

    [Fact]
    public async Task Save_ManyStatesQuickly_LastOneWins()
    {
        var path = PathOf("alerts.json");
        await using (var file = new AlertStateFile(path, time, NullLogger<AlertStateFile>.Instance))
        {
            for (var i = 1; i <= 100; i++)
            {
                file.Save(new AlertState(i, []));
            }

            await file.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.InRange(file.Writes, 1, 100);
        }

        await using var reopened = new AlertStateFile(path, time, NullLogger<AlertStateFile>.Instance);
        Assert.Equal(100, reopened.Load().NextSequence);
    }

    [Fact]
    public async Task Save_WriteThrowsSomethingOtherThanIO_IsLoggedAndTheWriterCarriesOn()
    {
        var path = PathOf("alerts.json");
        var logger = new FakeLogger<AlertStateFile>();
        await using var file = new AlertStateFile(path, time, logger);
        var unwritable = new Alert
        {
            Id = "a/temperature", Kind = AlertKind.Threshold, Severity = Severity.Warning, SensorId = "a", Quantity = Quantity.Temperature,
            Zone = ThresholdZone.WarningHigh, Value = double.NaN, RaisedAt = EdgeTestKit.Start, ChangedAt = EdgeTestKit.Start, Message = "NaN is not JSON",
        };

        file.Save(new AlertState(2, [new PersistedAlert(unwritable, EdgeTestKit.Start)]));
        await file.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        file.Save(new AlertState(3, []));
        await file.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((1, 1), (file.FailedWrites, file.Writes));
        Assert.IsType<ArgumentException>(Assert.Single(logger.Collector.GetSnapshot()).Exception);
        await using var reopened = new AlertStateFile(path, time, NullLogger<AlertStateFile>.Instance);
        Assert.Equal(3, reopened.Load().NextSequence);
    }
}
