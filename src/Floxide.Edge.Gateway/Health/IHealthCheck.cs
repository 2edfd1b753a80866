namespace Floxide.Edge.Gateway.Health;

/// <summary>
/// One part of the gateway's health: whether the part still does its job (the workflow loop moves, a poller polls).
/// The systemd watchdog is fed only while every check passes, so a failing check leads to a restart.
/// </summary>
/// <remarks>
/// Implementations are called about once a second from one thread at a time, must be cheap and must not block.
/// Report only what a restart would cure: a broker outage or refused credentials are states to show, not ill health.
/// </remarks>
public interface IHealthCheck
{
    /// <summary>The check's name, shown with its problem.</summary>
    string Name { get; }

    /// <summary>Checks the part now.</summary>
    /// <returns><see langword="null"/> when healthy, else what is wrong, e.g. <c>node 'classifier' busy for 12 s (budget 10 s)</c>.</returns>
    string? Check();
}
