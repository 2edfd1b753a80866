using System.Text;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Tests.Mqtt.Broker;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class MqttFleetIngestTests
{
    [Fact]
    public async Task Ingest_JsonAndBareNumberTopics_WritesReadingsAndRegistersGenericSensors()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var harness = await IngestHarness.StartAsync(IngestHarness.DefaultOptions(broker.Port));
        await using var fleet = await MqttTestClient.ConnectAsync(broker.Port);

        await fleet.PublishAsync("fleet/t-17/reading", """{"temperature":21.5,"humidity":40.25,"timestamp":"2026-11-25T10:00:00Z","seq":7}""");
        var json = await harness.NextReadingAsync();
        await fleet.PublishAsync("bare/cellar/humidity", "81.5");
        var bare = await harness.NextReadingAsync();

        Assert.Equal("t-17", json.SensorId);
        Assert.Equal(7, json.Sequence);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T10:00:00Z"), json.Timestamp);
        Assert.True(json.TryGetValue(Quantity.Temperature, out var celsius));
        Assert.Equal(21.5, celsius, 6);
        Assert.True(json.TryGetValue(Quantity.RelativeHumidity, out var percent));
        Assert.Equal(40.25, percent, 6);
        Assert.Equal("mqtt fleet/t-17/reading", json.Source);
        Assert.NotNull(json.Receipt);

        Assert.Equal("cellar", bare.SensorId);
        Assert.Equal(ReadingSequence.StartingAt(IngestHarness.DefaultStart) + 1, bare.Sequence);
        Assert.Equal(IngestHarness.DefaultStart, bare.Timestamp);
        Assert.True(bare.TryGetValue(Quantity.RelativeHumidity, out var cellarHumidity));
        Assert.Equal(81.5, cellarHumidity, 6);
        Assert.False(bare.TryGetValue(Quantity.Temperature, out _));

        Assert.True(harness.Directory.TryGet("t-17", out var descriptor));
        Assert.Equal(SensorOrigin.Mqtt, descriptor.Origin);
        Assert.Equal("generic", descriptor.Model);
        Assert.Equal([Quantity.Temperature, Quantity.RelativeHumidity], descriptor.Quantities.Order());
        Assert.Equal(TimeSpan.FromSeconds(60), descriptor.Interval);
    }

    [Fact]
    public async Task Ingest_PayloadsWithoutSequence_CountUpPerSensorFromTheStartTime()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var harness = await IngestHarness.StartAsync(IngestHarness.DefaultOptions(broker.Port));
        await using var fleet = await MqttTestClient.ConnectAsync(broker.Port);
        var start = ReadingSequence.StartingAt(IngestHarness.DefaultStart);

        var sequences = new List<(string Sensor, long Sequence)>();
        foreach (var (topic, payload) in new[] { ("fleet/a/reading", "20"), ("fleet/a/reading", "21"), ("fleet/b/reading", "22"), ("fleet/a/reading", """{"temperature":23,"seq":5}"""), ("fleet/a/reading", "24") })
        {
            harness.Clock.Advance(TimeSpan.FromSeconds(1)); // the start is taken once, when the ingest is created
            await fleet.PublishAsync(topic, payload);
            var reading = await harness.NextReadingAsync();
            reading.Receipt!.Complete();
            sequences.Add((reading.SensorId, reading.Sequence));
        }

        Assert.Equal([("a", start + 1), ("a", start + 2), ("b", start + 1), ("a", 5), ("a", start + 3)], sequences);
    }

    [Fact]
    public async Task Ingest_RestartedLater_GatewayAssignedSequencesContinueAboveTheFirstRun()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var options = IngestHarness.DefaultOptions(broker.Port);
        var firstStart = IngestHarness.DefaultStart;
        var secondStart = firstStart.AddSeconds(30);
        await using var fleet = await MqttTestClient.ConnectAsync(broker.Port);

        var firstRun = new List<long>();
        await using (var first = await IngestHarness.StartAsync(options, new FakeTimeProvider(firstStart)))
        {
            for (var i = 0; i < 3; i++)
            {
                await fleet.PublishAsync("fleet/t/reading", "20");
                var reading = await first.NextReadingAsync();
                reading.Receipt!.Complete();
                firstRun.Add(reading.Sequence);
            }
        }

        await using var second = await IngestHarness.StartAsync(options, new FakeTimeProvider(secondStart));
        await fleet.PublishAsync("fleet/t/reading", "30");
        SensorReading after;
        do
        {
            // The broker may redeliver a first-run message whose acknowledgement was still on its way at the stop.
            after = await second.NextReadingAsync();
            after.Receipt!.Complete();
        }
        while (!(after.TryGetValue(Quantity.Temperature, out var celsius) && celsius == 30));

        var start = ReadingSequence.StartingAt(firstStart);
        Assert.Equal([start + 1, start + 2, start + 3], firstRun);
        Assert.True(after.Sequence > firstRun[^1], $"after the restart {after.Sequence}, before it {firstRun[^1]}");
        Assert.InRange(after.Sequence, ReadingSequence.StartingAt(secondStart) + 1, ReadingSequence.StartingAt(secondStart) + 2);
    }

    [Fact]
    public async Task Ingest_SensorReportsAnotherQuantityLater_WidensItsGenericDescriptor()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var harness = await IngestHarness.StartAsync(IngestHarness.DefaultOptions(broker.Port));
        harness.Directory.Register(new SensorDescriptor("declared", "sht31", SensorOrigin.Mqtt, TimeSpan.FromSeconds(5),
            new Dictionary<Quantity, ValueRange> { [Quantity.Temperature] = new(-40, 125) }));
        await using var fleet = await MqttTestClient.ConnectAsync(broker.Port);

        await fleet.PublishAsync("bare/attic/temperature", "20");
        await fleet.PublishAsync("bare/attic/pressure", "990");
        await fleet.PublishAsync("fleet/declared/reading", """{"temperature":1,"humidity":2}""");
        for (var i = 0; i < 3; i++)
        {
            (await harness.NextReadingAsync()).Receipt!.Complete();
        }

        Assert.True(harness.Directory.TryGet("attic", out var attic));
        Assert.Equal([Quantity.Temperature, Quantity.Pressure], attic.Quantities.Order());
        Assert.True(harness.Directory.TryGet("declared", out var declared));
        Assert.Equal("sht31", declared.Model);
        Assert.Equal([Quantity.Temperature], declared.Quantities);
    }

    [Fact]
    public async Task Ingest_ReceiptCompletedOnlyAfterReconnect_StaleAckIsDroppedAndBrokerRedelivers()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var harness = await IngestHarness.StartAsync(IngestHarness.DefaultOptions(broker.Port));
        await using (var fleet = await MqttTestClient.ConnectAsync(broker.Port))
        {
            await fleet.PublishAsync("fleet/b/reading", """{"temperature":2,"seq":1}""");
        }

        var pending = await harness.NextReadingAsync();
        Assert.Equal("b", pending.SensorId);

        await broker.RestartAsync();
        await harness.Statuses.WaitForOccurrenceAsync(MqttConnectionState.Connected, seenBefore: 1);
        pending.Receipt!.Complete(); // from the previous connection: must not be sent on this one
        var redelivered = await harness.NextReadingAsync();
        Assert.Equal("b", redelivered.SensorId);

        // Had the stale acknowledgement gone out, it would have acknowledged the redelivered copy (mosquitto reuses the
        // packet id), and the broker would not deliver it once more after another restart.
        await broker.RestartAsync();
        await harness.Statuses.WaitForOccurrenceAsync(MqttConnectionState.Connected, seenBefore: 2);
        var again = await harness.NextReadingAsync();
        Assert.Equal("b", again.SensorId);
        again.Receipt!.Complete();

        await using var probe = await MqttTestClient.ConnectAsync(broker.Port);
        await probe.PublishAsync("fleet/c/reading", "3");
        Assert.Equal("c", (await harness.NextReadingAsync()).SensorId);
    }

    [Fact]
    public async Task Ingest_ThousandsOfRandomMalformedPayloads_CountsEachUnderItsCauseAndKeepsGoing()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var options = IngestHarness.DefaultOptions(broker.Port);
        options.Ingest.MaxPayloadBytes = 512;
        options.Ingest.MaxSensorIdLength = 16;
        options.Ingest.DeadLetterTopic = "floxide/gw-test/dead-letters";
        await using var harness = await IngestHarness.StartAsync(options);
        using var rejected = new MetricCollector<long>(harness.Meter, MqttMetrics.IngestRejected);
        await using var observer = await MqttTestClient.ConnectAsync(broker.Port);
        await observer.SubscribeAsync("floxide/gw-test/dead-letters");
        await using var fleet = await MqttTestClient.ConnectAsync(broker.Port);

        var random = new Random(20261125);
        var expected = new Dictionary<IngestRejectionCause, int>();
        var sends = new List<Task>();
        for (var i = 0; i < 2400; i++)
        {
            var (topic, payload, cause) = MalformedMessages.Next(random, i);
            expected[cause] = expected.GetValueOrDefault(cause) + 1;
            sends.Add(fleet.PublishAsync(topic, payload));
            if (sends.Count == 200)
            {
                await Task.WhenAll(sends);
                sends.Clear();
            }
        }

        await Task.WhenAll(sends);
        await fleet.PublishAsync("fleet/good/reading", """{"temperature":20}""");
        var good = await harness.NextReadingAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("good", good.SensorId);
        foreach (var cause in IngestRejectionCauses.All)
        {
            Assert.True(expected.GetValueOrDefault(cause) == harness.Ingest.Rejected(cause),
                $"{cause}: expected {expected.GetValueOrDefault(cause)}, counted {harness.Ingest.Rejected(cause)}");
            Assert.Equal(expected.GetValueOrDefault(cause), rejected.GetMeasurementSnapshot().Where(m => Equals(m.Tags["cause"], cause.Name())).Sum(m => m.Value));
        }

        Assert.Equal(9, expected.Count);
        Assert.Equal(1, harness.Ingest.Accepted);
        var deadLetter = await observer.WaitForAsync(m => m.Topic == "floxide/gw-test/dead-letters");
        Assert.Contains("\"cause\":", deadLetter.Payload, StringComparison.Ordinal);

        // At most one log line per cause within the interval, however many were rejected.
        var lines = harness.Logger.Messages().Where(m => m.StartsWith("MQTT ingest: rejected", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Count, lines.Count);
    }

    [Fact]
    public async Task Ingest_NewIdsBeyondMaxSensors_AreRejectedKnownOnesStillAccepted()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var options = IngestHarness.DefaultOptions(broker.Port);
        options.Ingest.MaxSensors = 3;
        await using var harness = await IngestHarness.StartAsync(options);
        await using var fleet = await MqttTestClient.ConnectAsync(broker.Port);

        foreach (var id in new[] { "a", "b", "c", "d", "e", "a" })
        {
            await fleet.PublishAsync($"fleet/{id}/reading", "20");
        }

        var accepted = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            accepted.Add((await harness.NextReadingAsync()).SensorId);
        }

        Assert.Equal(["a", "b", "c", "a"], accepted);
        Assert.Equal(2, harness.Ingest.Rejected(IngestRejectionCause.TooManySensors));
        Assert.Equal(3, harness.Directory.Count);
    }

    [Fact]
    public async Task Ingest_SharedSubscription_TwoGatewaysSplitTheFleet()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var first = IngestHarness.DefaultOptions(broker.Port, "gw-1");
        first.Ingest.SharedGroup = "site";
        var second = IngestHarness.DefaultOptions(broker.Port, "gw-2");
        second.Ingest.SharedGroup = "site";
        await using var one = await IngestHarness.StartAsync(first);
        await using var two = await IngestHarness.StartAsync(second);
        await using var fleet = await MqttTestClient.ConnectAsync(broker.Port);

        for (var i = 0; i < 40; i++)
        {
            await fleet.PublishAsync($"fleet/s{i}/reading", "20");
        }

        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var allSeen = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        async Task DrainAsync(IngestHarness harness)
        {
            try
            {
                while (true)
                {
                    var reading = (SensorReading)await harness.Events.WaitForEventAsync(allSeen.Token);
                    reading.Receipt!.Complete();
                    seen.AddOrUpdate(reading.SensorId, 1, (_, n) => n + 1);
                    if (seen.Count == 40)
                    {
                        await allSeen.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException) when (allSeen.IsCancellationRequested && !cancel.IsCancellationRequested)
            {
            }
        }

        await Task.WhenAll(DrainAsync(one), DrainAsync(two)).WaitAsync(cancel.Token);
        Assert.All(seen.Values, n => Assert.Equal(1, n));

        Assert.True(one.Ingest.Accepted > 0 && two.Ingest.Accepted > 0, $"split {one.Ingest.Accepted}/{two.Ingest.Accepted}");
        Assert.Equal(40, one.Ingest.Accepted + two.Ingest.Accepted);
    }
}

/// <summary>Random malformed fleet messages, each built so that its rejection cause is known.</summary>
internal static class MalformedMessages
{
    public static (string Topic, byte[] Payload, IngestRejectionCause Cause) Next(Random random, int i)
    {
        var id = $"s{random.Next(50)}";
        string Letters(int n) => new([.. Enumerable.Range(0, n).Select(_ => (char)('a' + random.Next(26)))]);
        byte[] Text(string s) => Encoding.UTF8.GetBytes(s);
        switch (i % 10)
        {
            case 0:
                var noise = new byte[random.Next(1, 300)];
                random.NextBytes(noise);
                noise[0] = 0xFF; // never valid UTF-8, so never JSON nor a number
                return ($"fleet/{id}/reading", noise, IngestRejectionCause.InvalidJson);
            case 1:
                return ($"fleet/{id}/reading", new byte[513 + random.Next(2000)], IngestRejectionCause.PayloadTooLarge);
            case 2:
                return ($"fleet/{id}/reading", Text($"{{\"temperature\": {random.Next(100)}, \"{Letters(3)}"), IngestRejectionCause.InvalidJson);
            case 3:
                return ($"fleet/{id}/reading", Text($"{{\"temperature\":\"{Letters(random.Next(1, 10))}\"}}"), IngestRejectionCause.ValueNotNumber);
            case 4:
                return ($"fleet/{id}/reading", Text($"{{\"{Letters(8)}\":{random.NextDouble()}}}"), IngestRejectionCause.NoValues);
            case 5:
                return ($"fleet/{id}/reading", Text($"[{random.Next()},{random.Next()}]"), IngestRejectionCause.UnexpectedShape);
            case 6:
                return ($"fleet/{id}/reading", Text($"{{\"temperature\":{random.Next(40)},\"timestamp\":\"{Letters(12)}\"}}"), IngestRejectionCause.InvalidTimestamp);
            case 7:
                return ($"fleet/{id}/reading", Text($"{{\"temperature\":1,\"seq\":-{random.Next(1, 1000)}}}"), IngestRejectionCause.InvalidSequence);
            case 8:
                // Brokers refuse topics with control characters themselves (the unit tests cover them); a too long id reaches us.
                var badId = Letters(17 + random.Next(20));
                return ($"fleet/{badId}/reading", Text("21"), IngestRejectionCause.InvalidSensorId);
            default:
                return ($"bare/{id}/{Letters(6)}", Text("21"), IngestRejectionCause.UnknownQuantity);
        }
    }
}
