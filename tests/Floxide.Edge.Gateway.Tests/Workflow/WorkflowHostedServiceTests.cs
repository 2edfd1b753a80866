using Floxide.Edge.Alerts;
using Floxide.Edge.Classification;
using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Gateway.Workflow;
using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;
using Floxide.Edge.Sensors;
using Floxide.Edge.Workflow;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Tests.Workflow;

public sealed class WorkflowHostedServiceTests : IDisposable
{
    private readonly DirectoryInfo state = Directory.CreateTempSubdirectory("floxide-workflow-service-");

    public void Dispose() => state.Delete(recursive: true);

    [Fact]
    public async Task StartAsync_LoopThrowsAnUnexpectedException_FaultsTheLoopMakesTheGatewayUnhealthyAndStopsIt()
    {
        var clock = new FailingClock();
        var (service, health, lifetime) = Create(clock);
        await using var disposeService = service;
        var exitCode = Environment.ExitCode;
        try
        {
            // Not a node's exception (those are dead-lettered), nor a shutdown: the loop itself fails.
            clock.Fail = true;
            await service.StartAsync(CancellationToken.None);
            await lifetime.Stopped.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(GatewayWorkflowState.Faulted, service.State);
            Assert.Contains(nameof(TimeZoneNotFoundException), service.FaultReason, StringComparison.Ordinal);
            var report = health.Evaluate();
            Assert.False(report.IsHealthy);
            Assert.Contains("the loop stopped", report.ToString(), StringComparison.Ordinal);
            Assert.Equal(70, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = exitCode;
        }
    }

    [Fact]
    public async Task StopAsync_Running_DrainsAndStopsHealthy()
    {
        var (service, health, lifetime) = Create(new FailingClock());
        await using var disposeService = service;
        await service.StartAsync(CancellationToken.None);
        await service.Events.WriteAsync(new Floxide.Edge.Readings.SensorStatusChanged("a", DateTimeOffset.UnixEpoch, Floxide.Edge.Readings.SensorStatus.Online, "good read")).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(GatewayWorkflowState.Stopped, service.State);
        Assert.True(health.Evaluate().IsHealthy);
        Assert.False(lifetime.Stopped.IsCompleted);
    }

    private (WorkflowHostedService Service, GatewayHealth Health, RecordingLifetime Lifetime) Create(TimeProvider clock)
    {
        var health = new GatewayHealth([], TimeProvider.System);
        var lifetime = new RecordingLifetime();
        var workflow = new GatewayWorkflow(
            new ClassificationOptions(),
            new AlertOptions { StateFile = Path.Combine(state.FullName, "alerts.json") },
            new ReportingOptions(),
            new GatewayWorkflowOptions(),
            new SensorDirectory(),
            new DiscardingSink(),
            [],
            clock,
            NullLoggerFactory.Instance);
        var service = new WorkflowHostedService(
            workflow, new GatewayStatus(TimeProvider.System), health,
            new StaticMonitor<GatewayHostOptions>(new GatewayHostOptions()), lifetime, NullLogger<WorkflowHostedService>.Instance);
        return (service, health, lifetime);
    }

    /// <summary>The system clock until <see cref="Fail"/> is set; then reading it throws, as a broken clock source would.</summary>
    private sealed class FailingClock : TimeProvider
    {
        public volatile bool Fail;

        public override DateTimeOffset GetUtcNow() => Fail ? throw new TimeZoneNotFoundException("the clock is gone") : System.GetUtcNow();
    }

    private sealed class DiscardingSink : IReadingSink
    {
        public ValueTask WriteAsync(SensorReading reading, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class RecordingLifetime : IHostApplicationLifetime
    {
        private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Stopped => stopped.Task;

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => stopped.TrySetResult();
    }

    private sealed class StaticMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
