using UnitsNet;

namespace Floxide.Edge.Emulation;

/// <summary>The conditions an emulated chip measures.</summary>
/// <param name="Temperature">The air temperature.</param>
/// <param name="Humidity">The relative humidity.</param>
/// <param name="Pressure">The barometric pressure.</param>
public readonly record struct ChipConditions(Temperature Temperature, RelativeHumidity Humidity, Pressure Pressure)
{
    /// <summary>21.5 °C, 45 %RH, 1013.25 hPa.</summary>
    public static ChipConditions Room { get; } = new(
        Temperature.FromDegreesCelsius(21.5), RelativeHumidity.FromPercent(45), Pressure.FromHectopascals(1013.25));
}

/// <summary>
/// An emulated sensor chip: what it measures (set directly, or pulled from a source such as the simulation's
/// waveform) and the faults injected into it.
/// </summary>
/// <remarks>Thread-safe: tests and the simulation change conditions and faults while a driver reads.</remarks>
public abstract class EmulatedChip
{
    private readonly Lock gate = new();
    private ChipConditions conditions = ChipConditions.Room;
    private Func<ChipConditions>? source;
    private ChipConditions? frozen;

    /// <summary>The faults injected into the chip.</summary>
    public ChipFaults Faults { get; } = new();

    /// <summary>The chip's model name, e.g. <c>bme280</c>.</summary>
    public abstract string Model { get; }

    /// <summary>The conditions the chip measures; setting them detaches any <see cref="UseConditionsFrom"/> source.</summary>
    public ChipConditions Conditions
    {
        get
        {
            lock (gate)
            {
                return source?.Invoke() ?? conditions;
            }
        }

        set
        {
            lock (gate)
            {
                conditions = value;
                source = null;
            }
        }
    }

    /// <summary>Sets the temperature, keeping the other conditions.</summary>
    /// <param name="temperature">The temperature.</param>
    public void SetTemperature(Temperature temperature) => Conditions = Conditions with { Temperature = temperature };

    /// <summary>Sets the relative humidity, keeping the other conditions.</summary>
    /// <param name="humidity">The humidity.</param>
    public void SetHumidity(RelativeHumidity humidity) => Conditions = Conditions with { Humidity = humidity };

    /// <summary>Sets the pressure, keeping the other conditions.</summary>
    /// <param name="pressure">The pressure.</param>
    public void SetPressure(Pressure pressure) => Conditions = Conditions with { Pressure = pressure };

    /// <summary>Makes the chip measure whatever <paramref name="conditionsSource"/> returns at the moment of each conversion.</summary>
    /// <param name="conditionsSource">The source, e.g. a waveform read at the simulation's current time.</param>
    public void UseConditionsFrom(Func<ChipConditions> conditionsSource)
    {
        ArgumentNullException.ThrowIfNull(conditionsSource);
        lock (gate)
        {
            source = conditionsSource;
        }
    }

    /// <summary>The conditions a conversion measures now: frozen while <see cref="ChipFaults.StuckValue"/> is on.</summary>
    /// <returns>The conditions.</returns>
    protected ChipConditions Convert()
    {
        var current = Conditions;
        lock (gate)
        {
            if (!Faults.StuckValue)
            {
                frozen = null;
                return current;
            }

            frozen ??= current;
            return frozen.Value;
        }
    }
}
