using Floxide.Edge.Readings;
using Floxide.Edge.Reporting;

namespace Floxide.Edge.Tests.Reporting;

public sealed class SmoothingAndAggregateTests
{
    private static readonly DateTimeOffset T0 = EdgeTestKit.Start;

    private static double[] Smooth(SmoothingOptions options, params double[] values)
    {
        var smoother = new ReadingSmoother(options);
        return [.. values.Select((value, i) =>
        {
            var reading = EdgeTestKit.Reading("a", T0.AddSeconds(i), value);
            smoother.Smooth(reading);
            reading.TryGetValue(Quantity.Temperature, out var smoothed);
            return Math.Round(smoothed, 6);
        })];
    }

    [Fact]
    public void Smooth_MovingAverage_AveragesTheLastWindow()
    {
        Assert.Equal([10, 15, 20, 30, 40], Smooth(new SmoothingOptions { Method = SmoothingMethod.MovingAverage, Window = 3 }, 10, 20, 30, 40, 50));
    }

    [Fact]
    public void Smooth_Ewma_WeighsTheNewestByAlpha()
    {
        Assert.Equal([10, 15, 22.5], Smooth(new SmoothingOptions { Method = SmoothingMethod.Ewma, Alpha = 0.5 }, 10, 20, 30));
    }

    [Fact]
    public void Smooth_None_LeavesValues()
    {
        Assert.Equal([10, 20], Smooth(new SmoothingOptions(), 10, 20));
    }

    [Fact]
    public void Add_ReadingOfNextWindow_ClosesThePreviousWithMinMaxMean()
    {
        var aggregator = new WindowedAggregator(new AggregateOptions { Interval = TimeSpan.FromMinutes(1) });
        foreach (var (second, celsius) in new[] { (5, 20.0), (20, 24), (50, 22) })
        {
            Assert.Empty(aggregator.Add(EdgeTestKit.Reading("a", T0.AddSeconds(second), celsius, humidity: 40 + second)));
        }

        var closed = aggregator.Add(EdgeTestKit.Reading("a", T0.AddSeconds(65), 30, humidity: 50)).ToList();

        Assert.Equal(2, closed.Count);
        Assert.Equal(new SensorAggregate("a", Quantity.Temperature, T0, T0.AddMinutes(1), 3, 20, 24, 22), closed[0]);
        Assert.Equal(new SensorAggregate("a", Quantity.RelativeHumidity, T0, T0.AddMinutes(1), 3, 45, 90, 65), closed[1]);
    }

    [Fact]
    public void Tick_AfterWindowEnd_ClosesWindowsOfSilentSensors()
    {
        var aggregator = new WindowedAggregator(new AggregateOptions { Interval = TimeSpan.FromMinutes(1) });
        aggregator.Add(EdgeTestKit.Reading("a", T0.AddSeconds(10), 20));

        Assert.Empty(aggregator.Tick(T0.AddSeconds(59)));
        var closed = Assert.Single(aggregator.Tick(T0.AddSeconds(60)));
        Assert.Equal((1, 20.0), (closed.Count, closed.Mean));
        Assert.Empty(aggregator.Tick(T0.AddSeconds(120)));
    }

    [Fact]
    public void Tick_AfterAggregatesTurnedOff_ClosesOpenWindowsEarlyAndForgetsEverySensor()
    {
        var aggregator = new WindowedAggregator(new AggregateOptions { Interval = TimeSpan.FromMinutes(1) });
        aggregator.Add(EdgeTestKit.Reading("a", T0.AddSeconds(10), 20, humidity: 40));
        aggregator.Add(EdgeTestKit.Reading("b", T0.AddSeconds(20), 22));

        aggregator.Reconfigure(new AggregateOptions { Interval = TimeSpan.Zero });
        var closed = aggregator.Tick(T0.AddSeconds(30)).ToList();

        Assert.Equal(
        [
            new SensorAggregate("a", Quantity.Temperature, T0, T0.AddMinutes(1), 1, 20, 20, 20),
            new SensorAggregate("a", Quantity.RelativeHumidity, T0, T0.AddMinutes(1), 1, 40, 40, 40),
            new SensorAggregate("b", Quantity.Temperature, T0, T0.AddMinutes(1), 1, 22, 22, 22),
        ], closed.OrderBy(c => c.SensorId).ThenBy(c => c.Quantity));
        Assert.Equal(0, aggregator.TrackedSensors);
        Assert.Empty(aggregator.Tick(T0.AddMinutes(5)));
    }

    [Fact]
    public void Close_RemovedSensor_ClosesOnlyItsOpenWindows()
    {
        var aggregator = new WindowedAggregator(new AggregateOptions { Interval = TimeSpan.FromMinutes(1) });
        aggregator.Add(EdgeTestKit.Reading("a", T0.AddSeconds(10), 20));
        aggregator.Add(EdgeTestKit.Reading("b", T0.AddSeconds(20), 22));

        var closed = Assert.Single(aggregator.Close("a"));

        Assert.Equal(("a", 1), (closed.SensorId, closed.Count));
        Assert.Equal(1, aggregator.TrackedSensors);
        Assert.Equal("b", Assert.Single(aggregator.Tick(T0.AddMinutes(1))).SensorId);
    }
}
