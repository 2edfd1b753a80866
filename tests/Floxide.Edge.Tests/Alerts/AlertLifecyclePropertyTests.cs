using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Alerts;

/// <summary>
/// Properties of the whole lifecycle (classifier → alert book → dispatcher → sink) over generated temperature
/// sequences, with fixed seeds so runs repeat.
/// </summary>
public sealed class AlertLifecyclePropertyTests : IDisposable
{
    private readonly DirectoryInfo stateDirectory = Directory.CreateTempSubdirectory("floxide-props-");

    public void Dispose() => stateDirectory.Delete(recursive: true);

    private static Gen<(double[] Values, int Hold)> Sequences() =>
        from values in Gen.Choose(0, 400).Select(tenths => tenths / 10.0).ArrayOf()
        from hold in Gen.Choose(1, 3)
        select (values, hold);

    private IReadOnlyList<AlertNotification> Run(double[] values, int hold, bool endNormal)
    {
        var time = new FakeTimeProvider(EdgeTestKit.Start);
        var directory = stateDirectory.CreateSubdirectory(Guid.NewGuid().ToString("N"));
        var harness = new AlertHarness(time, directory.FullName, EdgeTestKit.Directory(EdgeTestKit.Bme280("a")),
            new AlertOptions { RenotifyInterval = TimeSpan.FromMinutes(5) }, EdgeTestKit.Temperature(holdReadings: hold, hysteresis: 1));
        try
        {
            // Leaving a zone under a hold can take two steps (critical to warning, then to normal), each needing the hold.
            foreach (var value in endNormal ? [.. values, .. Enumerable.Repeat(20.0, 2 * hold)] : values)
            {
                harness.Feed("a", value);
                harness.Tick();
                time.Advance(TimeSpan.FromMinutes(1));
            }

            harness.FlushAsync().GetAwaiter().GetResult();
            return harness.Sink.Notifications;
        }
        finally
        {
            harness.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Property(Replay = "(42,4243)", MaxTest = 100)]
    public Property Lifecycle_AnySequenceEndingNormal_ClearsEveryRaisedAlertExactlyOnce() =>
        Prop.ForAll(Sequences().ToArbitrary(), testCase =>
        {
            var log = Run(testCase.Values, testCase.Hold, endNormal: true);
            var raised = log.Count(n => n.Transition == AlertTransition.Raised);
            var cleared = log.Count(n => n.Transition == AlertTransition.Cleared);
            var lastIsClearOrNothing = log.Count == 0 || log[^1].Transition == AlertTransition.Cleared;
            return (raised == cleared && lastIsClearOrNothing).Label($"raised {raised}, cleared {cleared}: {string.Join(" | ", log)}");
        });

    [Property(Replay = "(7,77)", MaxTest = 100)]
    public Property Lifecycle_AnySequence_NeverDuplicatesANotification() =>
        Prop.ForAll(Sequences().ToArbitrary(), testCase =>
        {
            var log = Run(testCase.Values, testCase.Hold, endNormal: false);
            var problems = new List<string>();
            var active = new Dictionary<string, Severity>();
            for (var i = 0; i < log.Count; i++)
            {
                var n = log[i];
                if (n.Sequence != i + 1)
                {
                    problems.Add($"sequence {n.Sequence} at position {i}");
                }

                var isActive = active.TryGetValue(n.Alert.Id, out var severity);
                switch (n.Transition)
                {
                    case AlertTransition.Raised when isActive:
                        problems.Add($"#{n.Sequence} raised an active alert");
                        break;
                    case AlertTransition.Cleared when !isActive:
                    case AlertTransition.Renotified when !isActive:
                    case AlertTransition.Escalated when !isActive:
                    case AlertTransition.Deescalated when !isActive:
                        problems.Add($"#{n.Sequence} {n.Transition} an inactive alert");
                        break;
                    case AlertTransition.Escalated when n.Alert.Severity <= severity:
                    case AlertTransition.Deescalated when n.Alert.Severity >= severity:
                        problems.Add($"#{n.Sequence} {n.Transition} without a change of severity");
                        break;
                    case AlertTransition.Renotified when i > 0 && log[i - 1].Alert.Id == n.Alert.Id && log[i - 1].Timestamp == n.Timestamp:
                        problems.Add($"#{n.Sequence} reminded at the moment of another notification");
                        break;
                }

                if (n.Transition == AlertTransition.Cleared)
                {
                    active.Remove(n.Alert.Id);
                }
                else
                {
                    active[n.Alert.Id] = n.Alert.Severity;
                }
            }

            return (problems.Count == 0).Label(string.Join("; ", problems));
        });
}
