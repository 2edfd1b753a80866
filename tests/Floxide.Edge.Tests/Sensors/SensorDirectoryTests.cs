using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Tests.Sensors;

public sealed class SensorDirectoryTests
{
    private static SensorDescriptor Fleet(string id) => new(id, "generic", SensorOrigin.Mqtt, TimeSpan.FromSeconds(30),
        new Dictionary<Quantity, ValueRange> { [Quantity.Temperature] = new(-40, 85) });

    [Fact]
    public void GetOrRegister_FirstSightingRegistersOnce_AndRaisesRegisteredOnce()
    {
        var directory = new SensorDirectory();
        var registered = new List<string>();
        directory.Registered += sensor => registered.Add(sensor.Id);

        var first = directory.GetOrRegister("t-17", Fleet);
        var second = directory.GetOrRegister("t-17", _ => throw new InvalidOperationException("must not be called"));

        Assert.Same(first, second);
        Assert.Equal(["t-17"], registered);
        Assert.True(directory.TryGet("t-17", out var found));
        Assert.Equal(TimeSpan.FromSeconds(30), found.Interval);
    }

    [Fact]
    public void Remove_KnownSensor_RaisesRemoved()
    {
        var directory = new SensorDirectory();
        directory.Register(Fleet("t-1"));
        SensorDescriptor? removed = null;
        directory.Removed += sensor => removed = sensor;

        Assert.True(directory.Remove("t-1"));
        Assert.False(directory.Remove("t-1"));
        Assert.Equal("t-1", removed?.Id);
        Assert.Equal(0, directory.Count);
    }
}
