using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Microsoft.Extensions.Logging.Abstractions;

namespace Floxide.Edge.Tests.Alerts;

public sealed class AlertStateFileTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("floxide-state-");

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
        await using (var file = new AlertStateFile(path, NullLogger<AlertStateFile>.Instance))
        {
            file.Save(new AlertState(42, [new PersistedAlert(alert, EdgeTestKit.Start.AddMinutes(2))]));
        }

        await using var reopened = new AlertStateFile(path, NullLogger<AlertStateFile>.Instance);
        var state = reopened.Load();

        Assert.Equal(42, state.NextSequence);
        var persisted = Assert.Single(state.Alerts);
        Assert.Equal(alert, persisted.Alert);
        Assert.Equal(EdgeTestKit.Start.AddMinutes(2), persisted.LastNotifiedAt);
        Assert.Contains("\"zone\": \"CriticalLow\"", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task Load_MissingFile_IsEmpty()
    {
        await using var file = new AlertStateFile(PathOf("none.json"), NullLogger<AlertStateFile>.Instance);

        Assert.Same(AlertState.Empty, file.Load());
    }

    [Fact]
    public async Task Load_CorruptFile_StartsEmptyAndSetsTheFileAside()
    {
        var path = PathOf("alerts.json");
        await File.WriteAllTextAsync(path, "{ \"alerts\": [ truncated");
        await using var file = new AlertStateFile(path, NullLogger<AlertStateFile>.Instance);

        Assert.Same(AlertState.Empty, file.Load());
        Assert.False(File.Exists(path));
        Assert.Single(directory.GetFiles("alerts.json.unreadable-*"));
    }

    [Fact]
    public async Task Save_ManyStatesQuickly_LastOneWins()
    {
        var path = PathOf("alerts.json");
        await using (var file = new AlertStateFile(path, NullLogger<AlertStateFile>.Instance))
        {
            for (var i = 1; i <= 100; i++)
            {
                file.Save(new AlertState(i, []));
            }

            await file.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.InRange(file.Writes, 1, 100);
        }

        await using var reopened = new AlertStateFile(path, NullLogger<AlertStateFile>.Instance);
        Assert.Equal(100, reopened.Load().NextSequence);
    }
}
