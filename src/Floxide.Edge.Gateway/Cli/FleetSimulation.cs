namespace Floxide.Edge.Gateway.Cli;

/// <summary>
/// Publishes a simulated sensor fleet to a broker, for <c>floxide-edge simulate</c> (demos and load tests). The
/// simulation's composition point registers one; the command parses the request and shows the progress.
/// </summary>
public interface IFleetSimulator
{
    /// <summary>Publishes until the duration ends or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="request">Broker, fleet size, rate and duration.</param>
    /// <param name="progress">Told the running totals about once a second.</param>
    /// <param name="cancellationToken">Ends the simulation (Ctrl+C).</param>
    /// <returns>The final totals.</returns>
    Task<FleetSimulationProgress> RunAsync(FleetSimulationRequest request, IProgress<FleetSimulationProgress> progress, CancellationToken cancellationToken);
}

/// <summary>What <c>simulate</c> was asked to do.</summary>
/// <param name="BrokerHost">The broker's host.</param>
/// <param name="BrokerPort">The broker's port.</param>
/// <param name="Sensors">How many simulated sensors.</param>
/// <param name="ReadingsPerSecond">The total publish rate.</param>
/// <param name="Duration">How long to run; <see langword="null"/> until Ctrl+C.</param>
/// <param name="Seed">Seeds the simulation, so runs repeat.</param>
public sealed record FleetSimulationRequest(string BrokerHost, int BrokerPort, int Sensors, double ReadingsPerSecond, TimeSpan? Duration, int Seed);

/// <summary>The running totals of a simulation.</summary>
/// <param name="Published">Readings published.</param>
/// <param name="Failed">Publishes that failed.</param>
/// <param name="Elapsed">Time since the start.</param>
public sealed record FleetSimulationProgress(long Published, long Failed, TimeSpan Elapsed);
