using Floxide.Edge.Workflow;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Floxide.Edge.Mqtt;
using Floxide.Edge.Outbox;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;
using Floxide.Edge.Telemetry;
using Microsoft.Extensions.Logging;

// Usage: Floxide.Edge.MqttTestHost --port 1883 --outbox /tmp/outbox.db [--gateway gw] [--host 127.0.0.1]
// Runs the MQTT ingest -> IReadingSink path (connection, fleet ingest of fleet/{sensorId}/reading, a relay standing in
// for the workflow, publisher and outbox) until SIGTERM or SIGINT; prints "ready" once connected.
var arguments = ParseArguments(args);
var options = new MqttOptions
{
    Host = arguments.GetValueOrDefault("host", "127.0.0.1"),
    Port = int.Parse(arguments["port"], CultureInfo.InvariantCulture),
    GatewayId = arguments.GetValueOrDefault("gateway", "gw-test"),
    Reconnect = { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(2) },
    Ingest = { Subscriptions = { new MqttSubscriptionOptions { Topic = "fleet/{sensorId}/reading" } } },
};
var outboxOptions = new OutboxOptions { Path = arguments["outbox"], FlushInterval = TimeSpan.FromMilliseconds(50) };

using var loggerFactory = new StderrLoggerFactory();
using var meter = new Meter(FloxideTelemetry.Name);
using var events = new GatewayEventChannel(new GatewayWorkflowOptions());
await using var connection = new MqttConnection(options, loggerFactory.CreateLogger<MqttConnection>(), TimeProvider.System);
var ingest = new MqttFleetIngest(options, connection, events, new SensorDirectory(), loggerFactory.CreateLogger<MqttFleetIngest>(), TimeProvider.System, meter);
using var outbox = OutboxStore.Open(outboxOptions, loggerFactory.CreateLogger<OutboxStore>(), TimeProvider.System, meter);
await using var publisher = new MqttPublisher(options, outboxOptions, connection, outbox, loggerFactory.CreateLogger<MqttPublisher>(), TimeProvider.System, meter);

using var stopping = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stopping.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stopping.Cancel(); });

connection.StatusChanged += status =>
{
    if (status.State == MqttConnectionState.Connected)
    {
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
    }
};
await publisher.StartAsync();
await connection.StartAsync();
try
{
    while (true)
    {
        if (await events.WaitForEventAsync(stopping.Token) is SensorReading reading)
        {
            await publisher.WriteAsync(reading, stopping.Token);
        }
    }
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
}

await publisher.StopAsync();
await connection.StopAsync();
Console.Error.WriteLine($"stopped: {ingest.Accepted} accepted, {ingest.RejectedTotal} rejected, {publisher.Published} published, {outbox.Count} in the outbox");
return 0;

static Dictionary<string, string> ParseArguments(string[] args)
{
    var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        parsed[args[i].TrimStart('-')] = args[i + 1];
    }

    foreach (var required in new[] { "port", "outbox" })
    {
        if (!parsed.ContainsKey(required))
        {
            Console.Error.WriteLine($"missing --{required}; usage: --port N --outbox PATH [--gateway ID] [--host HOST]");
            Environment.Exit(2);
        }
    }

    return parsed;
}

internal sealed class StderrLoggerFactory : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new StderrLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class StderrLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Console.Error.WriteLine($"{logLevel} {category}: {formatter(state, exception)}");
            }
        }
    }
}
