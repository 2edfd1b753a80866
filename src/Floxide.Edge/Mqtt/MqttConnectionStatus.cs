namespace Floxide.Edge.Mqtt;

/// <summary>The state of the gateway's broker connection.</summary>
public enum MqttConnectionState
{
    /// <summary>Not started, or stopped.</summary>
    Stopped,

    /// <summary>A connect attempt is under way.</summary>
    Connecting,

    /// <summary>Connected, subscribed and announced online.</summary>
    Connected,

    /// <summary>The connection was lost; a reconnect follows.</summary>
    Disconnected,

    /// <summary>The broker refused the connection (bad credentials, not authorized, banned); retried slowly.</summary>
    Refused,

    /// <summary>The broker could not be reached or the TLS handshake failed; retried with back-off.</summary>
    Unreachable,
}

/// <summary>Where the broker connection stands, and why.</summary>
/// <param name="State">The state.</param>
/// <param name="Detail">What a person needs to know: the broker, the reason for a failure and the setting to check.</param>
/// <param name="FailedAttempts">Connect attempts failed in a row.</param>
/// <param name="RetryIn">When failed: the delay before the next attempt.</param>
public sealed record MqttConnectionStatus(MqttConnectionState State, string Detail, int FailedAttempts = 0, TimeSpan? RetryIn = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        RetryIn is { } delay ? $"{State}: {Detail} (attempt {FailedAttempts}, retry in {delay.TotalSeconds:0.#} s)" : $"{State}: {Detail}";
}
