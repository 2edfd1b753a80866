using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Gateway.Hosting;
using Floxide.Edge.Gateway.Status;
using Floxide.Edge.Gateway.Tests.Support;
using Floxide.Edge.Gateway.Workflow;
using Floxide.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Gateway.Tests.Health;

public sealed class GatewayHealthTests
{
    [Fact]
    public void Evaluate_HeartbeatSilentPastItsLimit_IsUnhealthyAndRecoversOnBeat()
    {
        var time = new FakeTimeProvider();
        var health = new GatewayHealth([], time);
        using var heartbeat = health.AddHeartbeat("poller bme280", TimeSpan.FromSeconds(3));

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(health.Evaluate().IsHealthy);

        time.Advance(TimeSpan.FromSeconds(2));
        var report = health.Evaluate();
        Assert.False(report.IsHealthy);
        Assert.Equal("poller bme280", Assert.Single(report.Problems).Check);
        Assert.Contains("silent for 4 s", report.ToString(), StringComparison.Ordinal);

        heartbeat.Beat();
        Assert.True(health.Evaluate().IsHealthy);
    }

    [Fact]
    public void Evaluate_HeartbeatDisposed_NoLongerChecked()
    {
        var time = new FakeTimeProvider();
        var health = new GatewayHealth([], time);
        var heartbeat = health.AddHeartbeat("poller", TimeSpan.FromSeconds(1));

        heartbeat.Dispose();
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(health.Evaluate().IsHealthy);
    }

    [Fact]
    public void Evaluate_CheckThrows_ReportsItAsAProblem()
    {
        var health = new GatewayHealth([new ThrowingCheck()], TimeProvider.System);

        var report = health.Evaluate();

        Assert.Contains("threw InvalidOperationException: broken", Assert.Single(report.Problems).Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowLoopCheck_EventStuckPastBudget_IsUnhealthyNamingTheNode()
    {
        var time = new FakeTimeProvider();
        var source = new ChannelEventSource<int>("numbers", 8, ChannelFullMode.Wait);
        var stuck = new TaskCompletionSource<string>();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = new EventDrivenWorkflowBuilder<int, object, string>("numbers")
            .AddSource(source, emits: "next")
            .AddProcessor(new StuckProcessor(entered, stuck.Task))
            .Route("numbers", "next", "stuck")
            .Route("stuck", "done", "numbers")
            .WithTimeProvider(time)
            .Build();
        using var cancel = new CancellationTokenSource();
        var run = workflow.ExecuteAsync(new object(), cancel.Token).AsTask();
        var view = new WorkflowView(workflow);
        var check = new WorkflowLoopHealthCheck(view, new StaticOptions(new GatewayHostOptions { ProcessingBudget = TimeSpan.FromSeconds(10) }));

        Assert.Null(check.Check());
        await source.WriteAsync(1);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(check.Check());
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Contains("node 'stuck' for 11 s, past the processing budget of 10 s", check.Check(), StringComparison.Ordinal);

        stuck.SetResult("done");
        await UntilAsync(() => workflow.GetActivity().IsIdle);

        Assert.Null(check.Check());
        await cancel.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void GatewayHealth_BrokerOfflineOrRefused_StaysHealthy()
    {
        using var config = new TempConfig("{}");
        using var gateway = GatewayHost.Build(GatewayConfigurationSources.Create(config.Path, environment: new Dictionary<string, string>(), watchFile: false), ConsoleMode.Plain);
        var status = gateway.Services.GetRequiredService<GatewayStatus>();
        var health = gateway.Services.GetRequiredService<GatewayHealth>();

        status.ReportBroker("offline: connection refused");
        Assert.True(health.Evaluate().IsHealthy);
        status.ReportBroker("offline: refused (not authorized, check the password)");
        Assert.True(health.Evaluate().IsHealthy);
    }

    // The workflow loop runs on another thread and exposes no signal for "entered a node", so poll its activity with a deadline.
    private static async Task UntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), deadline.Token);
        }
    }

    private sealed class ThrowingCheck : IHealthCheck
    {
        public string Name => "thrower";

        public string? Check() => throw new InvalidOperationException("broken");
    }

    private sealed class StuckProcessor(TaskCompletionSource entered, Task<string> release) : IEventProcessor<int, object, string>
    {
        public string Id => "stuck";

        public async ValueTask<string> ProcessEventAsync(int @event, object context, CancellationToken cancellationToken = default)
        {
            entered.TrySetResult();
            return await release.WaitAsync(cancellationToken);
        }
    }

    private sealed class WorkflowView(EventDrivenWorkflow<int, object, string> workflow) : IGatewayWorkflow
    {
        public string Name => workflow.Name;

        public GatewayWorkflowState State => GatewayWorkflowState.Running;

        public string? FaultReason => null;

        public Floxide.Core.Graph.WorkflowGraph ToGraph() => workflow.ToGraph();

        public EventWorkflowActivity GetActivity() => workflow.GetActivity();
    }

    private sealed class StaticOptions(GatewayHostOptions value) : IOptionsMonitor<GatewayHostOptions>
    {
        public GatewayHostOptions CurrentValue => value;

        public GatewayHostOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<GatewayHostOptions, string?> listener) => null;
    }
}
