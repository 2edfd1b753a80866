using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Polly;
using Polly.Retry;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// The gateway's one broker connection, kept up by a small loop (MQTTnet 5 has no managed client): connect with a
/// persistent session and a Last Will, fall back from MQTT 5 to 3.1.1 if the broker asks, subscribe, announce
/// <c>online</c>, and after a drop reconnect with exponential back-off and jitter. A refused connection (bad
/// credentials, not authorized) is a state, reported and retried slowly; nothing here throws out of the loop.
/// </summary>
/// <remarks>Thread-safe. Subscriptions and connected handlers are added before <see cref="StartAsync"/>.</remarks>
public sealed partial class MqttConnection : IAsyncDisposable
{
    private readonly MqttOptions options;
    private readonly ILogger<MqttConnection> logger;
    private readonly TimeProvider timeProvider;
    private readonly IMqttClient client;
    private readonly MqttClientOptionsFactory clientOptions;
    private readonly ResiliencePipeline<ConnectAttempt> connectPipeline;
    private readonly List<MqttSubscription> subscriptions = [];
    private readonly List<Func<MqttConnectedContext, CancellationToken, Task>> connectedHandlers = [];
    private readonly SemaphoreSlim disconnectSignal = new(0);
    private readonly Func<double> random;
    private TaskCompletionSource connectedSignal = NewSignal();
    private MqttProtocolVersion protocol;
    private MqttConnectionStatus status = new(MqttConnectionState.Stopped, "not started");
    private long generation;
    private string lastDisconnect = "";
    private CancellationTokenSource? stopping;
    private Task? loop;

    /// <summary>Creates the connection; nothing happens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The MQTT options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock for back-off delays.</param>
    /// <param name="random">A source of jitter in [0, 1), for deterministic tests; null uses <see cref="Random.Shared"/>.</param>
    public MqttConnection(MqttOptions options, ILogger<MqttConnection> logger, TimeProvider timeProvider, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.options = options;
        this.logger = logger;
        this.timeProvider = timeProvider;
        this.random = random ?? Random.Shared.NextDouble;
        Topics = MqttTopics.From(options);
        clientOptions = new MqttClientOptionsFactory(options, Topics);
        protocol = options.Protocol == MqttProtocol.V311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
        client = new MqttClientFactory(new MqttNetLogAdapter(logger)).CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessageReceivedAsync;
        client.DisconnectedAsync += args =>
        {
            if (args.ClientWasConnected)
            {
                Volatile.Write(ref lastDisconnect, DescribeDisconnect(args));
            }

            disconnectSignal.Release();
            return Task.CompletedTask;
        };
        connectPipeline = BuildConnectPipeline();
    }

    /// <summary>Raised on every change of <see cref="Status"/>, on the connection's loop; handlers must return quickly.</summary>
    public event Action<MqttConnectionStatus>? StatusChanged;

    /// <summary>Where the connection stands.</summary>
    public MqttConnectionStatus Status => Volatile.Read(ref status);

    /// <summary>Whether the connection is up, subscribed and announced online.</summary>
    public bool IsConnected => client.IsConnected && Status.State == MqttConnectionState.Connected;

    /// <summary>The protocol version of the current or last connection.</summary>
    public MqttProtocolVersion ProtocolVersion => protocol;

    /// <summary>The topic layout of this gateway.</summary>
    public MqttTopics Topics { get; }

    /// <summary>The broker's receive maximum from the last CONNACK (MQTT 5), or null when it set none.</summary>
    public int? BrokerReceiveMaximum { get; private set; }

    /// <summary>Subscribes to <paramref name="filter"/> on every connect (unless the session kept it).</summary>
    /// <param name="filter">A topic filter, or a shared subscription <c>$share/&lt;group&gt;/&lt;filter&gt;</c>.</param>
    /// <param name="qualityOfService">The QoS to subscribe with.</param>
    /// <param name="handler">
    /// Handles a message on the filter. It runs on MQTTnet's receive task, one message at a time, so it must return
    /// quickly; it must call <see cref="MqttIncomingMessage.Acknowledge"/> once the message is dealt with.
    /// </param>
    /// <exception cref="InvalidOperationException">The connection is already started.</exception>
    public void Subscribe(string filter, MqttQualityOfServiceLevel qualityOfService, Func<MqttIncomingMessage, ValueTask> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(filter);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfStarted();
        subscriptions.Add(new MqttSubscription(filter, qualityOfService, handler));
    }

    /// <summary>Adds a handler run after each successful connect, once subscribed and announced online.</summary>
    /// <param name="handler">The handler; an exception is logged and does not stop the others or the connection.</param>
    /// <exception cref="InvalidOperationException">The connection is already started.</exception>
    public void OnConnected(Func<MqttConnectedContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfStarted();
        connectedHandlers.Add(handler);
    }

    /// <summary>Starts the connection loop and returns at once; the first connect happens in the background.</summary>
    /// <param name="cancellationToken">Not used; the loop runs until <see cref="StopAsync"/>.</param>
    /// <returns>A completed task.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfStarted();
        stopping = new CancellationTokenSource();
        if (logger.IsEnabled(LogLevel.Information))
        {
            var credentials = MqttPasswordSource.Describe(options);
            LogStarting(logger, options.Host, options.Port, options.EffectiveClientId, options.Tls.Enabled, credentials);
        }

        loop = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the loop; if connected, publishes <c>offline</c> (retained, awaiting its PUBACK) and disconnects
    /// cleanly, which suppresses the Last Will.
    /// </summary>
    /// <param name="cancellationToken">Cuts the clean shutdown short.</param>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (stopping is null || loop is null)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        if (client.IsConnected)
        {
            try
            {
                await PublishAsync(Availability(MqttTopics.Offline), cancellationToken).ConfigureAwait(false);
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is MqttCommunicationException or OperationCanceledException)
            {
                LogCleanShutdownFailed(logger, exception);
            }
        }

        SetStatus(new MqttConnectionStatus(MqttConnectionState.Stopped, "stopped"));
    }

    /// <summary>Waits until the connection is up.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when connected.</returns>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref connectedSignal).Task.WaitAsync(cancellationToken);

    /// <summary>Publishes a message; for QoS 1 the task completes when the broker's PUBACK arrives.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Gives up waiting; the broker may still have received it.</param>
    /// <returns>The broker's answer.</returns>
    /// <exception cref="MqttCommunicationException">Not connected, or the connection dropped before the PUBACK.</exception>
    public Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default) =>
        client.PublishAsync(message, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        client.Dispose();
        stopping?.Dispose();
        disconnectSignal.Dispose();
    }

    internal void SendAcknowledgement(MqttApplicationMessageReceivedEventArgs args, long messageGeneration)
    {
        if (messageGeneration != Interlocked.Read(ref generation) || !client.IsConnected)
        {
            LogStaleAcknowledgementDropped(logger, args.ApplicationMessage.Topic, args.PacketIdentifier);
            return;
        }

        _ = AcknowledgeAsync(args);
    }

    private async Task AcknowledgeAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        try
        {
            await args.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MqttCommunicationException or NullReferenceException or InvalidOperationException or ObjectDisposedException)
        {
            // The connection dropped under us (MQTTnet throws a NullReferenceException then): the broker redelivers.
            LogAcknowledgementFailed(logger, args.ApplicationMessage.Topic, exception.Message);
        }
    }

    private async Task OnMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        args.AutoAcknowledge = false;
        var message = new MqttIncomingMessage(args, this, Interlocked.Read(ref generation));
        var subscription = FindSubscription(args.ApplicationMessage.Topic);
        if (subscription is null)
        {
            LogUnexpectedMessage(logger, args.ApplicationMessage.Topic);
            message.Acknowledge();
            return;
        }

        try
        {
            await subscription.Handler(message).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A handler bug must not wedge the broker's window nor come back forever as a poison message.
            LogHandlerFailed(logger, exception, args.ApplicationMessage.Topic);
            message.Acknowledge();
        }
    }

    private MqttSubscription? FindSubscription(string topic)
    {
        foreach (var subscription in subscriptions)
        {
            if (MqttTopicFilterComparer.Compare(topic, subscription.MatchFilter) == MqttTopicFilterCompareResult.IsMatch)
            {
                return subscription;
            }
        }

        return null;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await connectPipeline.ExecuteAsync(static (self, token) => self.ConnectOnceAsync(token), this, cancellationToken).ConfigureAwait(false);
                while (client.IsConnected)
                {
                    await disconnectSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                Interlocked.Increment(ref generation);
                Volatile.Write(ref connectedSignal, NewSignal());
                var pause = Jittered(options.Reconnect.InitialDelay);
                var why = Volatile.Read(ref lastDisconnect);
                SetStatus(new MqttConnectionStatus(MqttConnectionState.Disconnected, $"lost the connection to {options.Host}:{options.Port}: {why}", 0, pause));
                LogConnectionLost(logger, options.Host, options.Port, why, pause.TotalSeconds);
                await Task.Delay(pause, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async ValueTask<ConnectAttempt> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        while (disconnectSignal.CurrentCount > 0)
        {
            await disconnectSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref generation);
        SetStatus(Status with { State = MqttConnectionState.Connecting, Detail = $"connecting to {options.Host}:{options.Port}", RetryIn = null });
        var result = await ConnectWithFallbackAsync(cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            return ConnectAttempt.Rejected(result.ResultCode, result.ReasonString);
        }

        try
        {
            // An absent receive maximum means 65,535 (MQTT 5, 3.3.4.9) but reaches MQTTnet's result as 0 (MQTTnet's own
            // server leaves it out): taken literally, the outbox drain would wait forever for room.
            BrokerReceiveMaximum = result.ReceiveMaximum > 0 ? result.ReceiveMaximum : null;
            if (!result.IsSessionPresent)
            {
                await SubscribeAllAsync(cancellationToken).ConfigureAwait(false);
            }

            await PublishAsync(Availability(MqttTopics.Online), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await client.TryDisconnectAsync().ConfigureAwait(false);
            throw;
        }

        SetStatus(new MqttConnectionStatus(
            MqttConnectionState.Connected, $"connected to {options.Host}:{options.Port} with MQTT {Describe(protocol)}, session {(result.IsSessionPresent ? "resumed" : "new")}"));
        LogConnected(logger, options.Host, options.Port, protocol, result.IsSessionPresent);
        Volatile.Read(ref connectedSignal).TrySetResult();
        var context = new MqttConnectedContext(Interlocked.Read(ref generation), result.IsSessionPresent, protocol);
        foreach (var handler in connectedHandlers)
        {
            try
            {
                await handler(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogConnectedHandlerFailed(logger, exception);
            }
        }

        return ConnectAttempt.Connected;
    }

    private async Task<MqttClientConnectResult> ConnectWithFallbackAsync(CancellationToken cancellationToken)
    {
        var canFallBack = options.Protocol == MqttProtocol.Auto && protocol == MqttProtocolVersion.V500;
        MqttClientConnectResult result;
        try
        {
            result = await client.ConnectAsync(clientOptions.Create(protocol), cancellationToken).ConfigureAwait(false);
        }
        catch (MqttConnectingFailedException) when (canFallBack)
        {
            // Some 3.1.1-only brokers just close the socket on a version 5 CONNECT: try 3.1.1 once.
            return await FallBackAsync(keepOnFailure: false, cancellationToken).ConfigureAwait(false);
        }

        // A 3.1.1 broker answers a version 5 CONNECT with its return code 1, which MQTTnet reads as reason code 1.
        var versionRejected = result.ResultCode == MqttClientConnectResultCode.UnsupportedProtocolVersion || (int)result.ResultCode == 1;
        return versionRejected && canFallBack ? await FallBackAsync(keepOnFailure: true, cancellationToken).ConfigureAwait(false) : result;
    }

    private async Task<MqttClientConnectResult> FallBackAsync(bool keepOnFailure, CancellationToken cancellationToken)
    {
        LogFallingBack(logger, options.Host, options.Port);
        protocol = MqttProtocolVersion.V311;
        try
        {
            var result = await client.ConnectAsync(clientOptions.Create(protocol), cancellationToken).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success && !keepOnFailure)
            {
                protocol = MqttProtocolVersion.V500;
            }

            return result;
        }
        catch when (!keepOnFailure)
        {
            protocol = MqttProtocolVersion.V500;
            throw;
        }
    }

    private async Task SubscribeAllAsync(CancellationToken cancellationToken)
    {
        if (subscriptions.Count == 0)
        {
            return;
        }

        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var subscription in subscriptions)
        {
            builder.WithTopicFilter(subscription.Filter, subscription.QualityOfService);
        }

        var result = await client.SubscribeAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
        foreach (var item in result.Items)
        {
            if ((int)item.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2)
            {
                LogSubscriptionRefused(logger, item.TopicFilter.Topic, item.ResultCode.ToString());
            }
        }
    }

    private ResiliencePipeline<ConnectAttempt> BuildConnectPipeline() =>
        new ResiliencePipelineBuilder<ConnectAttempt> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<ConnectAttempt>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Reconnect.InitialDelay,
                MaxDelay = options.Reconnect.MaxDelay,
                Randomizer = random,
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception
                        ? exception is not OperationCanceledException || !args.Context.CancellationToken.IsCancellationRequested
                        : !args.Outcome.Result.Succeeded),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Result is { IsRefusal: true } ? Jittered(options.Reconnect.RefusedDelay) : null),
                OnRetry = args =>
                {
                    ReportFailure(args.Outcome, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private void ReportFailure(Outcome<ConnectAttempt> outcome, int failedAttempts, TimeSpan retryIn)
    {
        var (state, detail) = outcome.Exception is { } exception
            ? (MqttConnectionState.Unreachable, DescribeFailure(exception))
            : (outcome.Result.IsRefusal ? MqttConnectionState.Refused : MqttConnectionState.Unreachable, DescribeRejection(outcome.Result));
        SetStatus(new MqttConnectionStatus(state, detail, failedAttempts, retryIn));
        LogConnectFailed(logger, state, detail, failedAttempts, retryIn.TotalSeconds);
    }

    private string DescribeRejection(ConnectAttempt attempt)
    {
        var code = attempt.ResultCode;
        var reason = string.IsNullOrEmpty(attempt.ReasonString) ? "" : $" ('{attempt.ReasonString}')";
        return code switch
        {
            MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized =>
                $"the broker at {options.Host}:{options.Port} refused the connection: {code}{reason}; check Floxide:Mqtt:Username " +
                $"({MqttPasswordSource.Describe(options)}) and the broker's password file and ACL",
            MqttClientConnectResultCode.ClientIdentifierNotValid =>
                $"the broker refused client id '{options.EffectiveClientId}'{reason}; set Floxide:Mqtt:ClientId",
            MqttClientConnectResultCode.UnsupportedProtocolVersion or (MqttClientConnectResultCode)1 =>
                $"the broker does not speak MQTT {Describe(protocol)}; set Floxide:Mqtt:Protocol to Auto or V311",
            _ => $"the broker at {options.Host}:{options.Port} refused the connection: {code} ({(int)code}){reason}",
        };
    }

    private string DescribeFailure(Exception exception)
    {
        var where = $"{options.Host}:{options.Port}";
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case AuthenticationException:
                    return $"TLS handshake with {where} failed: the broker's certificate was not accepted ({inner.Message}); check that " +
                           $"Floxide:Mqtt:Tls:CaFile ('{options.Tls.CaFile}') is the CA that signed it and that it names '{options.Tls.TargetHost ?? options.Host}'";
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"connection to {where} refused: is the broker running and listening there (Floxide:Mqtt:Host, Floxide:Mqtt:Port)?";
                case SocketException socket:
                    return $"network error reaching {where}: {socket.SocketErrorCode} ({socket.Message})";
                case IOException or UnauthorizedAccessException or InvalidOperationException or System.Security.Cryptography.CryptographicException when inner is not MqttCommunicationException:
                    return $"cannot prepare the connection to {where}: {inner.Message}";
            }
        }

        return exception switch
        {
            MqttConnectingFailedException => $"{where} closed the connection during CONNECT (a TLS port without Floxide:Mqtt:Tls:Enabled, or a client certificate required?): {exception.Message}",
            OperationCanceledException => $"no answer from {where} within {options.Timeout.TotalSeconds:0.#} s (Floxide:Mqtt:Timeout)",
            _ => $"cannot connect to {where}: {exception.GetType().Name}: {exception.Message}",
        };
    }

    private static string DescribeDisconnect(MqttClientDisconnectedEventArgs args)
    {
        // MQTTnet reports NormalDisconnection for a socket the broker closed and for a keep-alive timeout alike; the
        // exception tells them apart.
        var exception = args.Exception;
        while (exception?.InnerException is not null && exception is MqttCommunicationException)
        {
            exception = exception.InnerException;
        }

        return exception is null
            ? $"reason {args.Reason}{(string.IsNullOrEmpty(args.ReasonString) ? "" : $" '{args.ReasonString}'")}"
            : $"reason {args.Reason}: {exception.GetType().Name}: {exception.Message}";
    }

    private TimeSpan Jittered(TimeSpan delay) => delay * (0.8 + (0.4 * random()));

    private MqttApplicationMessage Availability(string payload) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Availability)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();

    private void SetStatus(MqttConnectionStatus next)
    {
        Volatile.Write(ref status, next);
        StatusChanged?.Invoke(next);
    }

    private void ThrowIfStarted()
    {
        if (loop is not null)
        {
            throw new InvalidOperationException("The MQTT connection is already started; add subscriptions and handlers before StartAsync.");
        }
    }

    private static string Describe(MqttProtocolVersion version) => version == MqttProtocolVersion.V500 ? "5" : "3.1.1";

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class MqttSubscription(string filter, MqttQualityOfServiceLevel qualityOfService, Func<MqttIncomingMessage, ValueTask> handler)
    {
        public string Filter { get; } = filter;

        // A shared subscription's messages arrive on the plain topic: match them against the filter inside it.
        public string MatchFilter { get; } = SharedSubscription.Unwrap(filter);

        public MqttQualityOfServiceLevel QualityOfService { get; } = qualityOfService;

        public Func<MqttIncomingMessage, ValueTask> Handler { get; } = handler;
    }

    private readonly record struct ConnectAttempt(bool Succeeded, MqttClientConnectResultCode ResultCode, string? ReasonString)
    {
        public static ConnectAttempt Connected => new(true, MqttClientConnectResultCode.Success, null);

        public bool IsRefusal => ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized
            or MqttClientConnectResultCode.Banned or MqttClientConnectResultCode.BadAuthenticationMethod or MqttClientConnectResultCode.ClientIdentifierNotValid;

        public static ConnectAttempt Rejected(MqttClientConnectResultCode code, string? reason) => new(false, code, reason);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "MQTT: connecting to {Host}:{Port} as '{ClientId}' (TLS {Tls}, {Credentials})")]
    private static partial void LogStarting(ILogger logger, string host, int port, string clientId, bool tls, string credentials);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "MQTT: connected to {Host}:{Port} with {Protocol}, session present {SessionPresent}")]
    private static partial void LogConnected(ILogger logger, string host, int port, MqttProtocolVersion protocol, bool sessionPresent);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "MQTT: {State}: {Detail}; attempt {Attempt}, next in {DelaySeconds:0.#} s")]
    private static partial void LogConnectFailed(ILogger logger, MqttConnectionState state, string detail, int attempt, double delaySeconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "MQTT: lost the connection to {Host}:{Port} ({Reason}); reconnecting in {DelaySeconds:0.##} s")]
    private static partial void LogConnectionLost(ILogger logger, string host, int port, string reason, double delaySeconds);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "MQTT: {Host}:{Port} rejected MQTT 5; trying MQTT 3.1.1")]
    private static partial void LogFallingBack(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "MQTT: the broker refused the subscription to '{Filter}': {ResultCode}")]
    private static partial void LogSubscriptionRefused(ILogger logger, string filter, string resultCode);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "MQTT: a connected handler failed")]
    private static partial void LogConnectedHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "MQTT: the handler of a message on '{Topic}' failed; the message is acknowledged and dropped")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "MQTT: a message on '{Topic}' matches no subscription; acknowledged and dropped")]
    private static partial void LogUnexpectedMessage(ILogger logger, string topic);

    [LoggerMessage(EventId = 109, Level = LogLevel.Debug, Message = "MQTT: dropped the acknowledgement of packet {PacketId} on '{Topic}' from an earlier connection; the broker redelivers it")]
    private static partial void LogStaleAcknowledgementDropped(ILogger logger, string topic, ushort packetId);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "MQTT: the acknowledgement of a message on '{Topic}' failed ({Reason}); the broker redelivers it")]
    private static partial void LogAcknowledgementFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "MQTT: the clean shutdown (offline, DISCONNECT) failed; the broker publishes the Last Will instead")]
    private static partial void LogCleanShutdownFailed(ILogger logger, Exception exception);
}

/// <summary>What a connected handler learns about the new connection.</summary>
/// <param name="Generation">The connection's generation: it increases with every connect attempt.</param>
/// <param name="IsSessionPresent">Whether the broker resumed the persistent session.</param>
/// <param name="ProtocolVersion">The protocol version in use.</param>
public sealed record MqttConnectedContext(long Generation, bool IsSessionPresent, MqttProtocolVersion ProtocolVersion);
