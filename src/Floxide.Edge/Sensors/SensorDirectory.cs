using System.Collections.Concurrent;

namespace Floxide.Edge.Sensors;

/// <summary>
/// The sensors the gateway knows: those configured at start (hardware, simulated, declared fleet sensors) and fleet
/// sensors that appear at run time on an MQTT topic.
/// </summary>
/// <remarks>Thread-safe: pollers, MQTT callbacks and the workflow read and register concurrently.</remarks>
public sealed class SensorDirectory
{
    private readonly ConcurrentDictionary<string, SensorDescriptor> sensors = new(StringComparer.Ordinal);

    /// <summary>Raised after a sensor is registered for the first time or its descriptor is replaced.</summary>
    public event Action<SensorDescriptor>? Registered;

    /// <summary>Raised after a sensor is removed (taken out of the configuration).</summary>
    public event Action<SensorDescriptor>? Removed;

    /// <summary>Every known sensor, in no particular order.</summary>
    public ICollection<SensorDescriptor> All => sensors.Values;

    /// <summary>The number of known sensors.</summary>
    public int Count => sensors.Count;

    /// <summary>Looks a sensor up by id.</summary>
    /// <param name="sensorId">The sensor's id.</param>
    /// <param name="descriptor">Its descriptor, when known.</param>
    /// <returns><see langword="true"/> when the sensor is known.</returns>
    public bool TryGet(string sensorId, out SensorDescriptor descriptor) =>
        sensors.TryGetValue(sensorId, out descriptor!);

    /// <summary>Registers <paramref name="descriptor"/>, replacing any sensor with the same id.</summary>
    /// <param name="descriptor">The sensor.</param>
    public void Register(SensorDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var previous = sensors.GetValueOrDefault(descriptor.Id);
        sensors[descriptor.Id] = descriptor;
        if (!Equals(previous, descriptor))
        {
            Registered?.Invoke(descriptor);
        }
    }

    /// <summary>Returns the sensor <paramref name="sensorId"/>, registering the one <paramref name="create"/> makes if unknown.</summary>
    /// <param name="sensorId">The sensor's id.</param>
    /// <param name="create">Makes the descriptor of a sensor seen for the first time.</param>
    /// <returns>The sensor's descriptor.</returns>
    public SensorDescriptor GetOrRegister(string sensorId, Func<string, SensorDescriptor> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (sensors.TryGetValue(sensorId, out var known))
        {
            return known;
        }

        var created = create(sensorId);
        if (sensors.TryAdd(sensorId, created))
        {
            Registered?.Invoke(created);
            return created;
        }

        return sensors[sensorId];
    }

    /// <summary>Forgets the sensor <paramref name="sensorId"/>.</summary>
    /// <param name="sensorId">The sensor's id.</param>
    /// <returns><see langword="true"/> when it was known.</returns>
    public bool Remove(string sensorId)
    {
        if (!sensors.TryRemove(sensorId, out var removed))
        {
            return false;
        }

        Removed?.Invoke(removed);
        return true;
    }
}
