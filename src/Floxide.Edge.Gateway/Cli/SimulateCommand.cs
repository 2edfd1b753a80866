using System.CommandLine;
using Floxide.Edge.Gateway.Configuration;
using Floxide.Edge.Gateway.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Floxide.Edge.Gateway.Cli;

/// <summary><c>floxide-edge simulate</c>: publish a simulated fleet to a broker at a rate, with a progress line.</summary>
internal static class SimulateCommand
{
    public static Command Build(Option<string?> config)
    {
        var broker = new Option<string>("--broker") { Description = "The broker's host", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The broker's port", DefaultValueFactory = _ => 1883 };
        var sensors = new Option<int>("--sensors") { Description = "How many simulated sensors", DefaultValueFactory = _ => 8 };
        var rate = new Option<double>("--rate") { Description = "Readings per second, over the whole fleet", DefaultValueFactory = _ => 10 };
        var duration = new Option<TimeSpan?>("--duration") { Description = "How long to run, e.g. 00:01:00; until Ctrl+C when omitted" };
        var seed = new Option<int>("--seed") { Description = "Seeds the simulation so that runs repeat", DefaultValueFactory = _ => 42 };
        var command = new Command("simulate", "Publish a simulated sensor fleet to a broker, for demos and load tests")
        {
            broker, port, sensors, rate, duration, seed,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var request = new FleetSimulationRequest(
                result.GetValue(broker)!, result.GetValue(port), result.GetValue(sensors), result.GetValue(rate), result.GetValue(duration), result.GetValue(seed));
            if (request.Sensors < 1 || request.ReadingsPerSecond <= 0 || request.BrokerPort is < 1 or > 65535)
            {
                Console.Error.WriteLine("floxide-edge simulate: --sensors must be 1 or more, --rate above 0, and --port from 1 to 65535.");
                return ExitCodes.Usage;
            }

            using var gateway = GatewayHost.Build(GatewayConfigurationSources.Create(result.GetValue(config), watchFile: false), ConsoleMode.Plain);
            var simulator = gateway.Services.GetService<IFleetSimulator>();
            if (simulator is null)
            {
                Console.Error.WriteLine("floxide-edge simulate: this build has no simulated fleet yet; it comes with the simulation feature.");
                return ExitCodes.Unavailable;
            }

            var progress = new Progress<FleetSimulationProgress>(state =>
                Console.Error.Write($"\rpublished {state.Published}, failed {state.Failed}, {state.Published / Math.Max(state.Elapsed.TotalSeconds, 0.001):0.0}/s   "));
            var total = await simulator.RunAsync(request, progress, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine();
            Console.Out.WriteLine($"published {total.Published} readings ({total.Failed} failed) in {total.Elapsed.TotalSeconds:0.0} s");
            return total.Failed == 0 ? ExitCodes.Success : ExitCodes.Software;
        });
        return command;
    }
}
