using Floxide.Edge.Readings;

namespace Floxide.Edge.Tests.Readings;

public sealed class SensorReadingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(Quantity.Temperature, 21.5)]
    [InlineData(Quantity.RelativeHumidity, 48.25)]
    [InlineData(Quantity.Pressure, 1013.2)]
    public void SetValue_ThenTryGetValue_RoundTripsInTheCanonicalUnit(Quantity quantity, double value)
    {
        var reading = new SensorReading("kitchen", Now, 1, "simulated");

        Assert.False(reading.TryGetValue(quantity, out _));
        reading.SetValue(quantity, value);

        Assert.True(reading.TryGetValue(quantity, out var read));
        Assert.Equal(value, read, precision: 9);
    }

    [Fact]
    public void TryGetValue_ConvertsFromOtherUnits()
    {
        var reading = new SensorReading("kitchen", Now, 1, "mqtt")
        {
            Temperature = UnitsNet.Temperature.FromDegreesFahrenheit(212),
            Pressure = UnitsNet.Pressure.FromPascals(101_325),
        };

        Assert.True(reading.TryGetValue(Quantity.Temperature, out var celsius));
        Assert.True(reading.TryGetValue(Quantity.Pressure, out var hectopascals));
        Assert.Equal(100, celsius, precision: 9);
        Assert.Equal(1013.25, hectopascals, precision: 9);
    }

    [Theory]
    [InlineData("temperature", Quantity.Temperature)]
    [InlineData("Humidity", Quantity.RelativeHumidity)]
    [InlineData("PRESSURE", Quantity.Pressure)]
    public void Quantities_TryParse_KnowsEveryName(string name, Quantity expected)
    {
        Assert.True(Quantities.TryParse(name, out var quantity));
        Assert.Equal(expected, quantity);
        Assert.Equal(name.ToLowerInvariant(), quantity.Name());
    }

    [Fact]
    public void Quantities_TryParse_UnknownName_IsFalse() => Assert.False(Quantities.TryParse("voltage", out _));
}
