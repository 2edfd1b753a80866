using Floxide.Edge.Classification;
using Floxide.Edge.Readings;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Tests.Workflow;

/// <summary>
/// A day of two BME280s reporting every minute (at :10 s): a greenhouse (21 °C, 55 %RH) and a cellar (12 °C, 60 %RH),
/// with scripted episodes: spikes and impossible values, a warning excursion, a value hovering at a threshold, a
/// critical excursion, a humidity excursion long enough for reminders, a cellar dropout and a greenhouse outage.
/// </summary>
internal sealed class ScriptedDay : IGatewayScenario
{
    public const string Greenhouse = "greenhouse";
    public const string Cellar = "cellar";

    public IReadOnlyList<SensorDescriptor> Sensors { get; } = [EdgeTestKit.Bme280(Greenhouse), EdgeTestKit.Bme280(Cellar)];

    public IEnumerable<GatewayEvent> Events(DateTimeOffset start)
    {
        long sequence = 0;
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            var at = start.AddMinutes(minute).AddSeconds(10);
            sequence++;

            if (minute == 16 * 60)
            {
                yield return new SensorStatusChanged(Greenhouse, at.AddSeconds(-5), SensorStatus.Offline, "3 bus errors in a row (NACK at 0x76)");
            }

            if (minute == (16 * 60) + 10)
            {
                yield return new SensorStatusChanged(Greenhouse, at.AddSeconds(-5), SensorStatus.Online, "read ok");
            }

            if (minute is >= 16 * 60 and < (16 * 60) + 10)
            {
                yield return new SensorFault(Greenhouse, at, SensorFaultKind.BusError, "NACK at 0x76", minute - (16 * 60) + 3);
            }
            else if (minute is not ((10 * 60) + 30 or (10 * 60) + 31))
            {
                yield return GreenhouseReading(at, minute, sequence);
            }

            if (minute is < 14 * 60 or >= (14 * 60) + 20)
            {
                var cellar = new SensorReading(Cellar, at, sequence, "scripted");
                cellar.SetValue(Quantity.Temperature, CellarTemperature(minute));
                cellar.SetValue(Quantity.RelativeHumidity, 60);
                yield return cellar;
            }
        }
    }

    private static SensorReading GreenhouseReading(DateTimeOffset at, int minute, long sequence)
    {
        var reading = new SensorReading(Greenhouse, at, sequence, "scripted");
        var celsius = minute switch
        {
            3 * 60 => 45,                    // a one-reading spike: breaks the 5 °C/min rate limit
            4 * 60 => 90,                    // beyond the BME280's 85 °C: out of range
            6 * 60 => double.NaN,            // a garbled value
            _ => GreenhouseTemperature(minute),
        };
        ReadingValues.TrySetValue(reading, Quantity.Temperature, celsius);
        reading.SetValue(Quantity.RelativeHumidity, minute == 8 * 60 ? 90 : GreenhouseHumidity(minute));
        return reading;
    }

    private static double GreenhouseTemperature(int minute) => minute switch
    {
        // 09:00 warm-up: +1 °C/min to 29, held, then -1 °C/min back to 21.
        >= 9 * 60 and <= (9 * 60) + 8 => 21 + (minute - (9 * 60)),
        > (9 * 60) + 8 and <= (9 * 60) + 30 => 29,
        > (9 * 60) + 30 and <= (9 * 60) + 38 => 29 - (minute - ((9 * 60) + 30)),

        // 21:00 hovering at the 28 °C threshold, inside its 0.5 °C hysteresis band.
        >= 21 * 60 and <= (21 * 60) + 7 => 21 + (minute - (21 * 60)),
        > (21 * 60) + 7 and <= (21 * 60) + 30 => minute % 2 == 0 ? 28.2 : 27.7,
        > (21 * 60) + 30 and <= (21 * 60) + 36 => 27 - (minute - ((21 * 60) + 31)),
        _ => 21,
    };

    private static double GreenhouseHumidity(int minute) => minute switch
    {
        // 18:00 humid spell: +5 %/min to 80 %, held until 19:10, then -5 %/min back to 55 %.
        >= 18 * 60 and <= (18 * 60) + 5 => 55 + (5 * (minute - (18 * 60))),
        > (18 * 60) + 5 and <= (19 * 60) + 10 => 80,
        > (19 * 60) + 10 and <= (19 * 60) + 15 => 80 - (5 * (minute - ((19 * 60) + 10))),
        _ => 55,
    };

    private static double CellarTemperature(int minute) => minute switch
    {
        // 12:00 heat: +2 °C/min to 34, held until 12:40, then -2 °C/min back to 12.
        >= 12 * 60 and <= (12 * 60) + 11 => 12 + (2 * (minute - (12 * 60))),
        > (12 * 60) + 11 and <= (12 * 60) + 40 => 34,
        > (12 * 60) + 40 and <= (12 * 60) + 51 => 34 - (2 * (minute - ((12 * 60) + 40))),
        _ => 12,
    };
}
