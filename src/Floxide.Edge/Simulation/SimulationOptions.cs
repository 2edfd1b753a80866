using System.ComponentModel.DataAnnotations;
using Floxide.Edge.OptionRules;

namespace Floxide.Edge.Simulation;

/// <summary>The simulated sensors: configuration section <c>Floxide:Simulation</c>.</summary>
public sealed class SimulationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Floxide:Simulation";

    /// <summary>The on-board models simulated when <see cref="OnBoard"/> is not set.</summary>
    public static IReadOnlyList<string> DefaultOnBoard { get; } = ["bme280", "sht3x", "dht22", "ds18b20"];

    /// <summary>Whether to simulate; null decides by configuration: on when <c>Floxide:Sensors:Devices</c> is empty.</summary>
    public bool? Enabled { get; set; }

    /// <summary>The seed of every waveform; the same seed gives the same readings at the same times.</summary>
    /// <value>The default is 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>How many synthetic fleet sensors to simulate.</summary>
    /// <value>0 to 100 000. The default is 8.</value>
    [Range(0, 100_000)]
    public int FleetSensors { get; set; } = 8;

    /// <summary>How often each fleet sensor reports.</summary>
    /// <value>100 ms to 1 day. The default is 10 seconds.</value>
    [DurationRange("00:00:00.100", "1.00:00:00")]
    public TimeSpan FleetInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The prefix of fleet sensor ids: <c>sim-001</c>, <c>sim-002</c>, ….</summary>
    /// <value>The default is <c>sim-</c>.</value>
    public string FleetIdPrefix { get; set; } = "sim-";

    /// <summary>
    /// The models simulated on board, each an emulated chip read by its real driver; null for
    /// <see cref="DefaultOnBoard"/>, empty for none.
    /// </summary>
    public IReadOnlyList<string>? OnBoard { get; set; }

    /// <summary>How often on-board simulated sensors are read; null for each profile's default interval.</summary>
    public TimeSpan? OnBoardInterval { get; set; }

    /// <summary>The chance that a reading is a spike (a short excursion far from the waveform).</summary>
    /// <value>0 to 1. The default is 0.002.</value>
    [Range(0.0, 1.0)]
    public double SpikeProbability { get; set; } = 0.002;

    /// <summary>The chance that a dropout (a run of missing readings, or faults on board) starts at a reading.</summary>
    /// <value>0 to 1. The default is 0.001.</value>
    [Range(0.0, 1.0)]
    public double DropoutProbability { get; set; } = 0.001;

    /// <summary>How many readings a dropout lasts.</summary>
    /// <value>1 to 10 000. The default is 6.</value>
    [Range(1, 10_000)]
    public int DropoutReadings { get; set; } = 6;

    /// <summary>Scales the measurement noise: 0 for none, 1 for a typical chip's.</summary>
    /// <value>0 to 10. The default is 1.</value>
    [Range(0.0, 10.0)]
    public double NoiseScale { get; set; } = 1;

    /// <summary>The models simulated on board, defaults applied.</summary>
    public IReadOnlyList<string> EffectiveOnBoard => OnBoard ?? DefaultOnBoard;

    /// <summary>Whether simulation runs, given the configured hardware sensors.</summary>
    /// <param name="configuredDevices">How many hardware sensors <c>Floxide:Sensors:Devices</c> lists.</param>
    /// <returns><see cref="Enabled"/> when set; otherwise whether no hardware sensor is configured.</returns>
    public bool IsActive(int configuredDevices) => Enabled ?? configuredDevices == 0;
}
