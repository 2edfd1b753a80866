using System.Diagnostics;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Floxide.Edge.LoadTests;

/// <summary>What one phase measured.</summary>
internal sealed record LoadResult(
    string Name, int Readings, int Expected, int Delivered, int Duplicates, double Seconds, double Throughput, double P50Milliseconds, double P99Milliseconds,
    double? GatewayCpuMicrosecondsPerReading, double? GatewayPeakRssMegabytes, double BrokerCpuMicrosecondsPerReading)
{
    /// <summary>The median of each figure over several runs of one path (each column on its own).</summary>
    public static LoadResult Median(IReadOnlyList<LoadResult> runs)
    {
        static double Of(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        return new LoadResult(
            runs[0].Name, runs[0].Readings, (int)Of(runs.Select(r => (double)r.Expected)), (int)Of(runs.Select(r => (double)r.Delivered)), (int)Of(runs.Select(r => (double)r.Duplicates)),
            Of(runs.Select(r => r.Seconds)), Of(runs.Select(r => r.Throughput)), Of(runs.Select(r => r.P50Milliseconds)), Of(runs.Select(r => r.P99Milliseconds)),
            runs[0].GatewayCpuMicrosecondsPerReading is null ? null : Of(runs.Select(r => r.GatewayCpuMicrosecondsPerReading!.Value)),
            runs[0].GatewayPeakRssMegabytes is null ? null : runs.Max(r => r.GatewayPeakRssMegabytes!.Value),
            Of(runs.Select(r => r.BrokerCpuMicrosecondsPerReading)));
    }
}

/// <summary>
/// One phase: a publisher sends N readings from the fleet at a rate (or as fast as the QoS 1 window allows), a
/// subscriber takes the outputs, and every output is matched to its input by sensor and sequence number. Through the
/// gateway (<paramref name="filtered"/>), an input whose values repeat its sensor's previous ones is not expected to
/// have an output (report-by-exception); every other input must have exactly one.
/// </summary>
internal sealed class LoadRun(int port, FleetGenerator fleet, int readings, int rate, bool filtered)
{
    private const int PublishWindow = 1000;

    public async Task<LoadResult> RunAsync(string name, string outputFilter, int sensorLevel, Process broker, MeasuredProcess? gateway)
    {
        var sensors = fleet.Sensors;
        var sent = new long[readings];
        var received = new int[readings];
        var expected = new bool[readings];
        var latencies = new long[readings];
        var delivered = 0;
        var skipped = 0;
        var duplicates = 0;
        var lastFirstDelivery = 0L;
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            var now = Stopwatch.GetTimestamp();
            var topic = e.ApplicationMessage.Topic;
            var sensor = FleetGenerator.IndexOf(topic.Split('/')[sensorLevel]);
            var k = (int)((Sequence(e.ApplicationMessage.Payload) - 1) * sensors) + sensor;
            if ((uint)k >= (uint)readings)
            {
                return Task.CompletedTask;
            }

            if (Interlocked.Increment(ref received[k]) == 1)
            {
                latencies[k] = now - Volatile.Read(ref sent[k]);
                Interlocked.Increment(ref delivered);
                Volatile.Write(ref lastFirstDelivery, now);
            }
            else
            {
                Interlocked.Increment(ref duplicates);
            }

            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(Options($"load-sub-{name}"));
        await subscriber.SubscribeAsync(outputFilter, MqttQualityOfServiceLevel.AtLeastOnce);
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(Options($"load-pub-{name}"));

        gateway?.Process.Refresh();
        var gatewayCpuBefore = gateway?.Process.TotalProcessorTime;
        var brokerCpuBefore = broker.TotalProcessorTime;
        using var window = new SemaphoreSlim(PublishWindow);
        var started = Stopwatch.GetTimestamp();
        using var progress = new Progress(name, readings, () => Volatile.Read(ref delivered));
        var pending = new List<Task>(PublishWindow);
        for (var k = 0; k < readings; k++)
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds((double)k / rate) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.FromMilliseconds(2))
                {
                    await Task.Delay(due);
                }
            }

            var (topic, payload, _, unchanged) = fleet.Next(k % sensors);
            expected[k] = !(filtered && unchanged);
            if (!expected[k])
            {
                Interlocked.Increment(ref skipped);
            }

            await window.WaitAsync();
            progress.Sent = k + 1;
            Volatile.Write(ref sent[k], Stopwatch.GetTimestamp());
            _ = PublishAsync(publisher, topic, payload, window);
        }

        var deadline = Stopwatch.GetTimestamp();
        var lastCount = -1;
        while (Volatile.Read(ref delivered) < readings - Volatile.Read(ref skipped))
        {
            if (Volatile.Read(ref delivered) != lastCount)
            {
                lastCount = Volatile.Read(ref delivered);
                deadline = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(deadline) > TimeSpan.FromSeconds(15))
            {
                break; // no progress for 15 s: report what is missing
            }

            await Task.Delay(50);
        }

        await Task.Delay(200); // late duplicates
        progress.Dispose();
        var seconds = Stopwatch.GetElapsedTime(started, Volatile.Read(ref lastFirstDelivery)).TotalSeconds;
        var measured = latencies.Where((_, i) => received[i] > 0).Order().ToArray();
        double Percentile(double p) => measured.Length == 0 ? double.NaN : measured[(int)Math.Min(measured.Length - 1, Math.Ceiling(p * measured.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        gateway?.Process.Refresh();
        var missing = Enumerable.Range(0, readings).Where(k => expected[k] && received[k] == 0).ToList();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"{name}: {missing.Count} input(s) without an output, e.g. {string.Join(", ", missing.Take(5).Select(k => $"s{(k % sensors) + 1:000} seq {(k / sensors) + 1}"))}");
        }

        var unexpected = Enumerable.Range(0, readings).Count(k => !expected[k] && received[k] > 0);
        var result = new LoadResult(
            name, readings, readings - skipped, delivered - unexpected, duplicates, seconds, (delivered - unexpected + skipped) / seconds, Percentile(0.50), Percentile(0.99),
            gateway is null ? null : (gateway.Process.TotalProcessorTime - gatewayCpuBefore!.Value).TotalMicroseconds / readings,
            gateway?.PeakRssMegabytes,
            (broker.TotalProcessorTime - brokerCpuBefore).TotalMicroseconds / readings);
        await subscriber.DisconnectAsync();
        await publisher.DisconnectAsync();
        return result;

        MqttClientOptions Options(string clientId) =>
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId).WithTimeout(TimeSpan.FromSeconds(30)).Build();
    }

    private static async Task PublishAsync(IMqttClient client, string topic, byte[] payload, SemaphoreSlim window)
    {
        try
        {
            var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            await client.PublishAsync(message);
        }
        finally
        {
            window.Release();
        }
    }

    private static long Sequence(System.Buffers.ReadOnlySequence<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                return reader.GetInt64();
            }
        }

        return -1;
    }

    private sealed class Progress : IDisposable
    {
        private readonly Timer timer;

        public Progress(string name, int total, Func<int> delivered)
        {
            var interactive = !Console.IsErrorRedirected;
            timer = new Timer(_ =>
            {
                var line = $"{name}: sent {Sent}/{total}, delivered {delivered()}";
                if (interactive)
                {
                    Console.Error.Write($"\r{line}        ");
                }
                else
                {
                    Console.Error.WriteLine(line);
                }
            }, null, TimeSpan.FromMilliseconds(500), interactive ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(2));
        }

        public int Sent { get; set; }

        public void Dispose()
        {
            timer.Dispose();
            Console.Error.WriteLine();
        }
    }
}
