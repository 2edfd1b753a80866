using System.Text.Json;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Tests.Mqtt.Broker;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class HomeAssistantDiscoveryTests
{
    private static SensorDescriptor Bme280(string id = "greenhouse") =>
        new(id, "bme280", SensorOrigin.Hardware, TimeSpan.FromSeconds(30),
            new Dictionary<Quantity, ValueRange> { [Quantity.Temperature] = new(-40, 85), [Quantity.RelativeHumidity] = new(0, 100), [Quantity.Pressure] = new(300, 1100) },
            "Greenhouse");

    private static async Task<(MqttConnection Connection, HomeAssistantDiscovery Discovery, StatusRecorder Statuses)> StartAsync(int port, SensorDirectory directory)
    {
        var options = IngestHarness.DefaultOptions(port);
        var connection = new MqttConnection(options, new TestLogger<MqttConnection>(), TimeProvider.System);
        var discovery = new HomeAssistantDiscovery(options, connection, directory, new TestLogger<HomeAssistantDiscovery>());
        var statuses = new StatusRecorder(connection);
        await connection.StartAsync();
        await statuses.WaitForAsync(MqttConnectionState.Connected);
        return (connection, discovery, statuses);
    }

    [Fact]
    public async Task Connect_KnownSensors_PublishesRetainedConfigPerQuantityWithDeviceAvailabilityAndExpiry()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var directory = new SensorDirectory();
        directory.Register(Bme280());
        await using var early = await MqttTestClient.ConnectAsync(broker.Port);
        await early.SubscribeAsync("homeassistant/#");
        var (connection, discovery, _) = await StartAsync(broker.Port, directory);
        await using var _c = connection;
        await early.CollectAsync(c => c.Count >= 4, TimeSpan.FromSeconds(20));

        // A Home Assistant that starts later finds every config retained.
        await using var homeAssistant = await MqttTestClient.ConnectAsync(broker.Port);
        await homeAssistant.SubscribeAsync("homeassistant/#");
        var configs = await homeAssistant.CollectAsync(c => c.Count >= 4, TimeSpan.FromSeconds(20));

        Assert.All(configs, c => Assert.True(c.Retain));
        Assert.Equal("homeassistant/sensor/floxide_gw-test/greenhouse_temperature/config", discovery.ConfigTopic("greenhouse", Quantity.Temperature));
        var temperature = JsonDocument.Parse(configs.Single(c => c.Topic == discovery.ConfigTopic("greenhouse", Quantity.Temperature)).Payload).RootElement;
        Assert.Equal("floxide_gw-test_greenhouse_temperature", temperature.GetProperty("unique_id").GetString());
        Assert.Equal("floxide/gw-test/greenhouse/state", temperature.GetProperty("state_topic").GetString());
        Assert.Equal("{{ value_json.temperature }}", temperature.GetProperty("value_template").GetString());
        Assert.Equal("°C", temperature.GetProperty("unit_of_measurement").GetString());
        Assert.Equal("temperature", temperature.GetProperty("device_class").GetString());
        Assert.Equal("measurement", temperature.GetProperty("state_class").GetString());
        Assert.Equal(90, temperature.GetProperty("expire_after").GetInt32());
        Assert.Equal("floxide/gw-test/availability", temperature.GetProperty("availability_topic").GetString());
        Assert.Equal("online", temperature.GetProperty("payload_available").GetString());
        Assert.Equal("offline", temperature.GetProperty("payload_not_available").GetString());
        var device = temperature.GetProperty("device");
        Assert.Equal("floxide_gw-test_greenhouse", device.GetProperty("identifiers")[0].GetString());
        Assert.Equal("Greenhouse", device.GetProperty("name").GetString());
        Assert.Equal("bme280", device.GetProperty("model").GetString());
        Assert.Equal("floxide_gw-test", device.GetProperty("via_device").GetString());

        var humidity = JsonDocument.Parse(configs.Single(c => c.Topic == discovery.ConfigTopic("greenhouse", Quantity.RelativeHumidity)).Payload).RootElement;
        Assert.Equal("%", humidity.GetProperty("unit_of_measurement").GetString());
        Assert.Equal("humidity", humidity.GetProperty("device_class").GetString());
        var pressure = JsonDocument.Parse(configs.Single(c => c.Topic == discovery.ConfigTopic("greenhouse", Quantity.Pressure)).Payload).RootElement;
        Assert.Equal("hPa", pressure.GetProperty("unit_of_measurement").GetString());
        Assert.Equal("atmospheric_pressure", pressure.GetProperty("device_class").GetString());
        var gateway = JsonDocument.Parse(configs.Single(c => c.Topic == discovery.GatewayConfigTopic).Payload).RootElement;
        Assert.Equal("floxide_gw-test", gateway.GetProperty("device").GetProperty("identifiers")[0].GetString());
        Assert.Equal("connectivity", gateway.GetProperty("device_class").GetString());
    }

    [Fact]
    public async Task FleetSensorAppears_ThenHomeAssistantRestarts_ThenSensorRemoved_ConfigAnnouncedRepublishedAndCleared()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var directory = new SensorDirectory();
        await using var homeAssistant = await MqttTestClient.ConnectAsync(broker.Port);
        await homeAssistant.SubscribeAsync("homeassistant/#");
        var (connection, discovery, _) = await StartAsync(broker.Port, directory);
        await using var _c = connection;
        // The announcement at connect has taken its list of sensors once the gateway's own config is out.
        await homeAssistant.WaitForAsync(m => m.Topic == discovery.GatewayConfigTopic);
        var topic = discovery.ConfigTopic("fleet_7", Quantity.Temperature);

        directory.Register(new SensorDescriptor("fleet.7", "generic", SensorOrigin.Mqtt, TimeSpan.FromMinutes(1),
            new Dictionary<Quantity, ValueRange> { [Quantity.Temperature] = new(-55, 125) }));
        var announced = await homeAssistant.WaitForAsync(m => m.Topic == topic);
        Assert.Equal(180, JsonDocument.Parse(announced.Payload).RootElement.GetProperty("expire_after").GetInt32());

        await homeAssistant.PublishAsync("homeassistant/status", "online");
        var again = await homeAssistant.WaitForAsync(m => m.Topic == topic);
        Assert.Equal(announced.Payload, again.Payload);

        directory.Remove("fleet.7");
        var removed = await homeAssistant.WaitForAsync(m => m.Topic == topic);
        Assert.Equal("", removed.Payload);
        await using var late = await MqttTestClient.ConnectAsync(broker.Port);
        await late.SubscribeAsync("homeassistant/sensor/#");
        await late.PublishAsync("probe/end", "x");
        await late.SubscribeAsync("probe/end");
        await late.PublishAsync("probe/end", "x");
        var first = await late.WaitForAsync(_ => true);
        Assert.Equal("probe/end", first.Topic); // no retained config is left for the removed sensor
    }

    [Fact]
    public async Task SensorStopsMeasuringAQuantity_ItsEntityIsRemoved()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var directory = new SensorDirectory();
        directory.Register(Bme280());
        var (connection, discovery, _) = await StartAsync(broker.Port, directory);
        await using var _c = connection;
        await using var homeAssistant = await MqttTestClient.ConnectAsync(broker.Port);
        await homeAssistant.SubscribeAsync(discovery.ConfigTopic("greenhouse", Quantity.Pressure));
        await homeAssistant.WaitForAsync(m => m.Payload.Length > 0);

        directory.Register(Bme280() with { Model = "sht31", Ranges = new Dictionary<Quantity, ValueRange> { [Quantity.Temperature] = new(-40, 125), [Quantity.RelativeHumidity] = new(0, 100) } });

        Assert.Equal("", (await homeAssistant.WaitForAsync(_ => true)).Payload);
    }
}
