namespace Floxide.Edge.Gateway.Sample;

/// <summary>
/// The temperature-monitor sample that runs until the simulated sensors and the gateway workflow are wired in:
/// section <c>Floxide:Sample</c>.
/// </summary>
public sealed class SampleOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Floxide:Sample";

    /// <summary>The sample sensors' ids.</summary>
    /// <value>Up to 64 ids; when none are given, greenhouse, cellar and attic.</value>
    public IList<string> Sensors { get; } = [];

    /// <summary>The sensors used when <see cref="Sensors"/> is empty.</summary>
    public static IReadOnlyList<string> DefaultSensors { get; } = ["greenhouse", "cellar", "attic"];

    /// <summary>How often each sample sensor produces a reading.</summary>
    /// <value>10 ms to 1 h; the default is 1 s.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Seeds the readings' noise, so two runs produce the same values.</summary>
    /// <value>The default is 42.</value>
    public int Seed { get; set; } = 42;
}
