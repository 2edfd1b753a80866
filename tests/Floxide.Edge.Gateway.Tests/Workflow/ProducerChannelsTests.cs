using Floxide.Edge.Gateway.Workflow;
using Floxide.Edge.Readings;
using Floxide.Edge.Workflow;

namespace Floxide.Edge.Gateway.Tests.Workflow;

public sealed class ProducerChannelsTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ForPollers_ReadingSlotsFull_RefusesAndCountsTheReadingButQueuesFaults()
    {
        using var channel = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 2, ControlCapacity = 4 });
        var beats = new List<string>();
        var writer = ProducerChannels.ForPollers(channel, beats.Add);

        await writer.WriteAsync(Reading("a", 1));
        await writer.WriteAsync(Reading("a", 2));
        await writer.WriteAsync(Reading("b", 1)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await writer.WriteAsync(new SensorFault("b", At, SensorFaultKind.BusError, "no answer", 1)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, channel.QueuedReadings);
        Assert.Equal(1, channel.DroppedReadings);
        Assert.Equal(3, channel.Source.Count);
        Assert.Equal(["a", "a", "b", "b"], beats);
    }

    [Fact]
    public async Task ForStreams_ReadingSlotsFull_WaitsForASlotInsteadOfDropping()
    {
        using var channel = new GatewayEventChannel(new GatewayWorkflowOptions { ReadingCapacity = 1, ControlCapacity = 4 });
        var writer = ProducerChannels.ForStreams(channel);

        Assert.False(writer.TryWrite(Reading("a", 1)));
        await writer.WriteAsync(Reading("a", 1));
        using var cancel = new CancellationTokenSource();
        var waiting = writer.WriteAsync(Reading("a", 2), cancel.Token).AsTask();

        Assert.False(waiting.IsCompleted);
        Assert.True(writer.TryWrite(new SensorStatusChanged("a", At, SensorStatus.Online, "good read")));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, channel.DroppedReadings);
        Assert.Equal(1, channel.QueuedReadings);
    }

    [Fact]
    public void TryComplete_ByAProducer_LeavesTheQueueOpen()
    {
        using var channel = new GatewayEventChannel(new GatewayWorkflowOptions());
        var writer = ProducerChannels.ForPollers(channel);

        Assert.False(writer.TryComplete());
        Assert.True(writer.TryWrite(new SensorFault("a", At, SensorFaultKind.Timeout, "slow", 1)));
    }

    private static SensorReading Reading(string sensor, long sequence) => new(sensor, At.AddSeconds(sequence), sequence, "test")
    {
        Temperature = UnitsNet.Temperature.FromDegreesCelsius(21),
    };
}
