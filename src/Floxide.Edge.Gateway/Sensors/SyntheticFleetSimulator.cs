using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Floxide.Edge.Gateway.Cli;
using Floxide.Edge.Readings;
using Floxide.Edge.Simulation;
using MQTTnet;
using MQTTnet.Protocol;

namespace Floxide.Edge.Gateway.Sensors;

/// <summary>
/// <c>floxide-edge simulate</c>: publishes the <see cref="SyntheticFleet"/> to a broker on
/// <c>fleet/&lt;sensor&gt;/reading</c> (what the gateway's default ingest subscription takes), round-robin over the
/// sensors at the requested total rate, QoS 1 with a window of publishes in flight. Payloads carry the fleet's values
/// for each sensor's next slot and its sequence number as <c>seq</c>; the gateway stamps the time of arrival.
/// </summary>
internal sealed class SyntheticFleetSimulator : IFleetSimulator
{
    /// <summary>The topic template the fleet publishes on; <c>{sensorId}</c> is the sensor's id.</summary>
    public const string TopicTemplate = "fleet/{sensorId}/reading";

    /// <summary>The prefix of the simulated fleet's ids, apart from the gateway's own simulated sensors (<c>sim-</c>).</summary>
    public const string IdPrefix = "fleet-";

    private const int Window = 256;

    public async Task<FleetSimulationProgress> RunAsync(FleetSimulationRequest request, IProgress<FleetSimulationProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var fleet = new SyntheticFleet(new SimulationOptions
        {
            Seed = request.Seed,
            FleetSensors = request.Sensors,
            FleetIdPrefix = IdPrefix,
            FleetInterval = TimeSpan.FromSeconds(Math.Max(0.1, request.Sensors / request.ReadingsPerSecond)),
            DropoutProbability = 0,
        });
        var ids = fleet.SensorIds;
        var topics = ids.Select(id => TopicTemplate.Replace("{sensorId}", id, StringComparison.Ordinal)).ToArray();

        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(
            new MqttClientOptionsBuilder()
                .WithTcpServer(request.BrokerHost, request.BrokerPort)
                .WithClientId($"floxide-simulate-{Environment.ProcessId}")
                .WithTimeout(TimeSpan.FromSeconds(10))
                .Build(),
            cancellationToken).ConfigureAwait(false);

        using var window = new SemaphoreSlim(Window);
        long published = 0;
        long failed = 0;
        var started = Stopwatch.GetTimestamp();
        var lastReport = started;
        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            for (long k = 0; ; k++)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (request.Duration is { } duration && elapsed >= duration)
                {
                    break;
                }

                // Paced against the start, so a slow publish is caught up on rather than lowering the rate.
                var due = TimeSpan.FromSeconds(k / request.ReadingsPerSecond) - elapsed;
                if (due > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }

                var index = (int)(k % ids.Count);
                var sample = fleet.Sample(index, k / ids.Count);
                buffer.ResetWrittenCount();
                sample.WriteJson(buffer, withTimestamp: false);
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(topics[index])
                    .WithPayload(buffer.WrittenMemory.ToArray())
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                await window.WaitAsync(cancellationToken).ConfigureAwait(false);
                _ = PublishAsync(client, message, window, () => Interlocked.Increment(ref published), () => Interlocked.Increment(ref failed), cancellationToken);

                if (Stopwatch.GetElapsedTime(lastReport) >= TimeSpan.FromSeconds(1))
                {
                    lastReport = Stopwatch.GetTimestamp();
                    progress.Report(new FleetSimulationProgress(Interlocked.Read(ref published), Interlocked.Read(ref failed), Stopwatch.GetElapsedTime(started)));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // Let what is in flight be acknowledged (or fail) before the totals are final.
        for (var i = 0; i < Window; i++)
        {
            if (!await window.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false))
            {
                break;
            }
        }

        var total = new FleetSimulationProgress(Interlocked.Read(ref published), Interlocked.Read(ref failed), Stopwatch.GetElapsedTime(started));
        progress.Report(total);
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }

        return total;
    }

    private static async Task PublishAsync(IMqttClient client, MqttApplicationMessage message, SemaphoreSlim window, Action succeeded, Action failedOne, CancellationToken cancellationToken)
    {
        try
        {
            var result = await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                succeeded();
            }
            else
            {
                failedOne();
            }
        }
#pragma warning disable CA1031 // A failed publish is counted and shown; the simulation carries on.
        catch (Exception)
#pragma warning restore CA1031
        {
            failedOne();
        }
        finally
        {
            window.Release();
        }
    }
}
