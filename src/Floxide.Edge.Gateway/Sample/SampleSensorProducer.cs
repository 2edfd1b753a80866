using Floxide.Edge.Gateway.Health;
using Floxide.Edge.Readings;
using Floxide.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using UnitsNet;

namespace Floxide.Edge.Gateway.Sample;

/// <summary>
/// The sample's input: each configured sensor produces a temperature every interval (a slow sine swing plus seeded
/// noise), written to the workflow's channel. It beats a heartbeat per round, so a stalled producer shows as ill health.
/// </summary>
public sealed class SampleSensorProducer : BackgroundService
{
    private readonly ChannelEventSource<SensorReading> readings;
    private readonly IOptionsMonitor<SampleOptions> options;
    private readonly GatewayHealth health;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the producer.</summary>
    /// <param name="readings">The workflow's input channel.</param>
    /// <param name="options">Sensors and interval; a reload applies from the next round.</param>
    /// <param name="health">Where the producer's heartbeat is registered.</param>
    /// <param name="timeProvider">Stamps readings and drives the interval.</param>
    public SampleSensorProducer(
        ChannelEventSource<SensorReading> readings, IOptionsMonitor<SampleOptions> options, GatewayHealth health, TimeProvider timeProvider)
    {
        this.readings = readings;
        this.options = options;
        this.health = health;
        this.timeProvider = timeProvider;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var current = options.CurrentValue;
        var random = new Random(current.Seed);
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        using var heartbeat = health.AddHeartbeat("sample sensors", current.Interval * 5 + TimeSpan.FromSeconds(1));
        try
        {
            for (var tick = 0; !stoppingToken.IsCancellationRequested; tick++)
            {
                current = options.CurrentValue;
                IReadOnlyList<string> sensors = current.Sensors.Count > 0 ? [.. current.Sensors] : SampleOptions.DefaultSensors;
                foreach (var sensor in sensors)
                {
                    var swing = 12 * Math.Sin((tick / 6.0) + sensor.Length);
                    var sequence = sequences[sensor] = sequences.GetValueOrDefault(sensor) + 1;
                    var reading = new SensorReading(sensor, timeProvider.GetUtcNow(), sequence, "sample")
                    {
                        Temperature = Temperature.FromDegreesCelsius(21 + swing + (random.NextDouble() * 4)),
                    };
                    await readings.WriteAsync(reading, stoppingToken).ConfigureAwait(false);
                }

                heartbeat.Beat();
                await Task.Delay(current.Interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // The workflow stopped taking input: the host is shutting down.
        }
    }
}
