using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Iot.Device.Bmxx80;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Spectre.Console;
using UnitsNet;

// The floor under the gateway's memory: the parts the issues prescribe for it, doing the least of its idle work and
// none of its own. A System.CommandLine CLI; a Generic Host with systemd support; MQTTnet's server on 127.0.0.1 with
// an MQTTnet client connected to it, subscribed at QoS 1 and publishing 12 readings every 5 s at QoS 1 (the simulated
// default's sensors and pace); a SQLite file in WAL mode; UnitsNet conversions; Spectre.Console and the BME280 binding
// (run only with --table and --bus). With --host-only, just the started Generic Host. It sends READY=1 to $NOTIFY_SOCKET
// and exits 0 on SIGTERM, so deploy/measure.py --idle-only measures it as it measures the gateway (--extra-arg=--host-only
// passes the option); --plain and --config are accepted for that and ignored.
var plain = new Option<bool>("--plain");
var config = new Option<string>("--config");
var table = new Option<bool>("--table") { Description = "Show the readings in a table (Spectre.Console)" };
var bus = new Option<int?>("--bus") { Description = "Read a BME280 at 0x76 on this I2C bus each cycle" };
var hostOnly = new Option<bool>("--host-only") { Description = "Only the started Generic Host: no MQTT, no SQLite, no readings" };
var run = new Command("run", "Run the floor until SIGTERM") { plain, config, table, bus, hostOnly };
run.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(table), parse.GetValue(bus), parse.GetValue(hostOnly), cancellationToken));
return await new RootCommand("floxide-edge-floor: the gateway's parts without the gateway") { run }.Parse(args).InvokeAsync().ConfigureAwait(false);

static async Task<int> RunAsync(bool table, int? bus, bool hostOnly, CancellationToken cancellationToken)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Services.AddSystemd();
    using var host = builder.Build();
    await host.StartAsync(cancellationToken).ConfigureAwait(false);
    var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
    if (hostOnly)
    {
        Notify("READY=1");
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = stopping.Register(() => stopped.TrySetResult());
        await stopped.Task.ConfigureAwait(false);
    }
    else
    {
        // A method of its own, so that --host-only does not even load the parts' assemblies (the JIT loads the types a
        // method names when it compiles it).
        await RunPartsAsync(table, bus, stopping).ConfigureAwait(false);
    }

    Notify("STOPPING=1");
    await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
    return 0;
}

static async Task RunPartsAsync(bool table, int? bus, CancellationToken stopping)
{
    var port = FreeLoopbackPort();
    using var server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
        .WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointBoundIPV6Address(IPAddress.None)
        .WithDefaultEndpointPort(port).Build());
    await server.StartAsync().ConfigureAwait(false);
    using var client = new MqttClientFactory().CreateMqttClient();
    var received = 0;
    client.ApplicationMessageReceivedAsync += _ =>
    {
        Interlocked.Increment(ref received);
        return Task.CompletedTask;
    };
    await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("floor").Build(), stopping).ConfigureAwait(false);
    await client.SubscribeAsync("fleet/+/reading", MqttQualityOfServiceLevel.AtLeastOnce, stopping).ConfigureAwait(false);

    var state = Environment.GetEnvironmentVariable("FLOXIDE_HOST__STATEDIRECTORY") ?? Path.Combine(Path.GetTempPath(), "floxide-edge-floor");
    Directory.CreateDirectory(state);
    using var outbox = new SqliteConnection($"Data Source={Path.Combine(state, "outbox.db")}");
    outbox.Open();
    using (var command = outbox.CreateCommand())
    {
        command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, payload BLOB NOT NULL);";
        command.ExecuteNonQuery();
    }

    using var chip = bus is { } number ? new Bme280(System.Device.I2c.I2cDevice.Create(new System.Device.I2c.I2cConnectionSettings(number, Bmx280Base.DefaultI2cAddress))) : null;
    Notify("READY=1");
    var random = new Random(42);
    var sequence = 0L;
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
    try
    {
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            var measured = chip is not null && chip.TryReadTemperature(out var chipTemperature) ? chipTemperature : Temperature.FromDegreesCelsius(20 + random.NextDouble());
            for (var sensor = 0; sensor < 12; sensor++)
            {
                var temperature = Temperature.FromDegreesCelsius(measured.DegreesCelsius + sensor);
                var payload = string.Create(CultureInfo.InvariantCulture, $"{{\"temperature\":{temperature.DegreesCelsius:F2},\"kelvin\":{temperature.Kelvins:F2},\"seq\":{++sequence}}}");
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"fleet/s{sensor:000}/reading").WithPayload(Encoding.UTF8.GetBytes(payload))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), stopping).ConfigureAwait(false);
            }

            if (table)
            {
                AnsiConsole.Write(new Table().AddColumn(new TableColumn("readings")).AddColumn(new TableColumn("received")).AddRow(sequence.ToString(CultureInfo.InvariantCulture), received.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }
    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
    {
    }

}

static int FreeLoopbackPort()
{
    using var probe = new TcpListener(IPAddress.Loopback, 0);
    probe.Start();
    return ((IPEndPoint)probe.LocalEndpoint).Port;
}

// A few lines of sd_notify rather than the gateway's SystemdNotifySocket: referencing the gateway would compile all of it
// into the floor, which is what the floor must leave out.
static void Notify(string state)
{
    if (Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is not { Length: > 0 } path)
    {
        return;
    }

    using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    socket.SendTo(Encoding.UTF8.GetBytes(state), new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path));
}
