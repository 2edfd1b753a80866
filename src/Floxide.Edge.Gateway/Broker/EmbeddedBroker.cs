using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Floxide.Edge.Gateway.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Floxide.Edge.Gateway.Broker;

/// <summary>
/// An MQTT broker inside the gateway (MQTTnet's server), bound to 127.0.0.1 only, so that a fresh machine runs the
/// whole gateway with nothing installed and <c>mosquitto_sub</c> can watch it.
/// </summary>
public sealed partial class EmbeddedBroker : IHostedService, IDisposable
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan DrainQuiet = TimeSpan.FromMilliseconds(100);

    private readonly EmbeddedBrokerOptions options;
    private readonly GatewayStatus status;
    private readonly ILogger logger;
    private readonly MqttServerFactory factory = new();
    private MqttServer? server;
    private int clients;

    /// <summary>Creates the broker; it listens once started.</summary>
    /// <param name="options">Port and limits.</param>
    /// <param name="status">Told the broker's address and client count.</param>
    /// <param name="logger">Says where the broker listens and how to watch it.</param>
    public EmbeddedBroker(IOptions<EmbeddedBrokerOptions> options, GatewayStatus status, ILogger<EmbeddedBroker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.status = status;
        this.logger = logger;
    }

    /// <summary>The port the broker listens on, once started.</summary>
    public int Port { get; private set; }

    /// <summary>The command that shows everything the gateway publishes.</summary>
    /// <remarks>
    /// MQTT 5 (<c>-V mqttv5</c>): mosquitto_sub sends no client id and lets the broker assign one, which MQTTnet's
    /// server does only for MQTT 5 clients.
    /// </remarks>
    public string WatchCommand => $"mosquitto_sub -V mqttv5 -h 127.0.0.1 -p {Port} -t 'floxide/#' -v";

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            server = await StartOnAsync(options.Port).ConfigureAwait(false);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse && options.FallbackToFreePort && options.Port != 0)
        {
            LogPortTaken(logger, options.Port);
            server = await StartOnAsync(0).ConfigureAwait(false);
        }

        ReportClients();
        LogListening(logger, Port, WatchCommand);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await DrainSubscribersAsync(server, cancellationToken).ConfigureAwait(false);
            await server.StopAsync().ConfigureAwait(false);
            status.ReportEmbeddedBroker("embedded, stopped");
        }
    }

    // The gateway's last words (its retained "offline", the final readings) are acknowledged by the broker before
    // they reach the subscribers; stopping at once would cut them off. MQTTnet raises no event when a send queue
    // empties, and an empty queue is not yet a sent message: the sender takes a message off the queue before it writes
    // it, and on a loaded machine the write can finish well after (a CI run lost the "offline" that way). So wait,
    // bounded, until no queue holds a message and no client has been sent a packet for a quiet spell (a client's sent
    // count grows once a write has finished); stop anyway when the time is up.
    private static async Task DrainSubscribersAsync(MqttServer running, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var sentBefore = -1L;
        var quietSince = TimeSpan.Zero;
        try
        {
            while (deadline.Elapsed < DrainLimit)
            {
                var sessions = await running.GetSessionsAsync().ConfigureAwait(false);
                var clients = await running.GetClientsAsync().ConfigureAwait(false);
                var sent = clients.Sum(client => client.SentPacketsCount);
                if (sent != sentBefore || sessions.Any(session => session.PendingApplicationMessagesCount > 0))
                {
                    sentBefore = sent;
                    quietSince = deadline.Elapsed;
                }
                else if (deadline.Elapsed - quietSince >= DrainQuiet)
                {
                    return;
                }

                await Task.Delay(DrainPoll, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's stop timeout ran out: stop the broker now rather than overrun it.
        }
    }

    /// <summary>Publishes a message to the broker's subscribers, as the gateway itself.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="payload">The payload; copied, since the broker keeps retained messages beyond the call.</param>
    /// <param name="retain">Keep it as the topic's retained message.</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    /// <returns>Completes when the broker has queued the message for its subscribers.</returns>
    /// <exception cref="InvalidOperationException">The broker is not running.</exception>
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken = default)
    {
        var running = server ?? throw new InvalidOperationException("The embedded broker is not running.");
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .WithRetainFlag(retain)
            .Build();
        return running.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "floxide-edge" }, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => server?.Dispose();

    private async Task<MqttServer> StartOnAsync(int port)
    {
        // WithDefaultEndpointBoundIPAddress alone still opens [::]:port; IPAddress.None turns the IPv6 listener off.
        var serverOptions = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .WithMaxPendingMessagesPerClient(options.MaxPendingMessagesPerClient)
            .Build();
        var candidate = factory.CreateMqttServer(serverOptions);
        candidate.ValidatingConnectionAsync += args =>
        {
            // mosquitto_sub and mosquitto_pub send an empty client id and let the broker assign one, as MQTT 5 allows
            // (MQTTnet applies an assigned id to MQTT 5 clients only; 3.1.1 clients need their own, e.g. -i watch).
            if (string.IsNullOrEmpty(args.ClientId))
            {
                args.AssignedClientIdentifier = $"auto-{Guid.NewGuid():N}";
            }

            return Task.CompletedTask;
        };
        candidate.ClientConnectedAsync += _ =>
        {
            Interlocked.Increment(ref clients);
            ReportClients();
            return Task.CompletedTask;
        };
        candidate.ClientDisconnectedAsync += _ =>
        {
            Interlocked.Decrement(ref clients);
            ReportClients();
            return Task.CompletedTask;
        };
        try
        {
            await candidate.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            candidate.Dispose();
            throw;
        }

        Port = serverOptions.DefaultEndpointOptions.Port;
        return candidate;
    }

    private void ReportClients()
    {
        var count = Volatile.Read(ref clients);
        status.ReportEmbeddedBroker($"embedded 127.0.0.1:{Port}, {count} client{(count == 1 ? string.Empty : "s")}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on 127.0.0.1:{Port}; watch it with: {Command}")]
    private static partial void LogListening(ILogger logger, int port, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Port {Port} is taken (a local mosquitto?); the embedded broker uses a free port instead")]
    private static partial void LogPortTaken(ILogger logger, int port);
}
