namespace Floxide.Edge.Gateway.Health;

/// <summary>
/// The gateway's health: all <see cref="IHealthCheck"/>s from the container plus those registered while running
/// (one heartbeat per poller, say). <see cref="Evaluate"/> runs them; <see cref="Latest"/> is the last verdict.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class GatewayHealth
{
    private readonly Lock gate = new();
    private readonly List<IHealthCheck> checks;
    private readonly TimeProvider timeProvider;
    private HealthReport latest;

    /// <summary>Creates the health model.</summary>
    /// <param name="checks">The checks known at start.</param>
    /// <param name="timeProvider">Stamps reports and drives heartbeats.</param>
    public GatewayHealth(IEnumerable<IHealthCheck> checks, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.checks = [.. checks];
        this.timeProvider = timeProvider;
        latest = new HealthReport(timeProvider.GetUtcNow(), []);
    }

    /// <summary>The most recent verdict of <see cref="Evaluate"/>.</summary>
    public HealthReport Latest
    {
        get
        {
            lock (gate)
            {
                return latest;
            }
        }
    }

    /// <summary>Adds a check while running.</summary>
    /// <param name="check">The check.</param>
    /// <returns>Removes the check when disposed.</returns>
    public IDisposable Register(IHealthCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        lock (gate)
        {
            checks.Add(check);
        }

        return new Registration(this, check);
    }

    /// <summary>Creates and registers a heartbeat: healthy while <see cref="Heartbeat.Beat"/> is called at least every <paramref name="maxSilence"/>.</summary>
    /// <param name="name">The part's name, e.g. <c>poller bme280-1</c>.</param>
    /// <param name="maxSilence">How long the part may stay silent, e.g. three poll intervals.</param>
    /// <returns>The heartbeat; dispose it when the part stops.</returns>
    public Heartbeat AddHeartbeat(string name, TimeSpan maxSilence)
    {
        var heartbeat = new Heartbeat(name, maxSilence, timeProvider);
        heartbeat.Attach(Register(heartbeat));
        return heartbeat;
    }

    /// <summary>Runs every check and keeps the verdict as <see cref="Latest"/>.</summary>
    /// <returns>The verdict.</returns>
    public HealthReport Evaluate()
    {
        IHealthCheck[] current;
        lock (gate)
        {
            current = [.. checks];
        }

        List<HealthProblem>? problems = null;
        foreach (var check in current)
        {
            string? problem;
            try
            {
                problem = check.Check();
            }
#pragma warning disable CA1031 // A check that throws is itself a health problem, reported like any other.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                problem = $"the check threw {exception.GetType().Name}: {exception.Message}";
            }

            if (problem is not null)
            {
                (problems ??= []).Add(new HealthProblem(check.Name, problem));
            }
        }

        var report = new HealthReport(timeProvider.GetUtcNow(), problems ?? (IReadOnlyList<HealthProblem>)[]);
        lock (gate)
        {
            latest = report;
        }

        return report;
    }

    private void Remove(IHealthCheck check)
    {
        lock (gate)
        {
            checks.Remove(check);
        }
    }

    private sealed class Registration(GatewayHealth owner, IHealthCheck check) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Remove(check);
            }
        }
    }
}

/// <summary>A verdict of <see cref="GatewayHealth.Evaluate"/>.</summary>
/// <param name="CheckedAt">When the checks ran.</param>
/// <param name="Problems">What is wrong; empty when healthy.</param>
public sealed record HealthReport(DateTimeOffset CheckedAt, IReadOnlyList<HealthProblem> Problems)
{
    /// <summary><see langword="true"/> when every check passed.</summary>
    public bool IsHealthy => Problems.Count == 0;

    /// <inheritdoc/>
    public override string ToString() =>
        IsHealthy ? "healthy" : "unhealthy: " + string.Join("; ", Problems.Select(problem => $"{problem.Check}: {problem.Description}"));
}

/// <summary>One failed check.</summary>
/// <param name="Check">The check's name.</param>
/// <param name="Description">What is wrong.</param>
public sealed record HealthProblem(string Check, string Description);
