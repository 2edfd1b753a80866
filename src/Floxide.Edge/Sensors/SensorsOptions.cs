using System.ComponentModel.DataAnnotations;
using Floxide.Edge.OptionRules;

namespace Floxide.Edge.Sensors;

/// <summary>The gateway's own sensors and how they are polled: configuration section <c>Floxide:Sensors</c>.</summary>
public sealed class SensorsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Floxide:Sensors";

    /// <summary>The sensors wired to this gateway.</summary>
    /// <value>Empty by default: with no sensors (and simulation not switched off) the gateway simulates.</value>
    public IList<SensorDeviceOptions> Devices { get; init; } = [];

    /// <summary>Failed reads in a row after which a sensor is reported offline.</summary>
    /// <value>1 to 1 000. The default is 3.</value>
    [Range(1, 1_000)]
    public int FaultsBeforeOffline { get; set; } = 3;

    /// <summary>The longest a read may take once it has its bus before it counts as a timeout fault.</summary>
    /// <value>10 ms to 5 minutes. The default is 5 seconds (a DS18B20 conversion takes 750 ms).</value>
    [DurationRange("00:00:00.010", "00:05:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest a read may wait for its bus while other sensors' reads hold it, before the sensor is reported
    /// unread (a bus-busy fault). Pollers of one bus are spread over their interval, so they queue only when the
    /// bus cannot serve them all in time.
    /// </summary>
    /// <value>10 ms to 10 minutes. The default is 30 seconds.</value>
    [DurationRange("00:00:00.010", "00:10:00")]
    public TimeSpan BusWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A folder laid out like <c>devices/</c> whose profiles add to or replace the built-in ones; null for the built-in ones only.</summary>
    public string? ProfilesDirectory { get; set; }

    /// <summary>Where the kernel's 1-Wire devices appear.</summary>
    /// <value>The default is <c>/sys/bus/w1/devices</c>.</value>
    [Required]
    public string OneWireDevicesPath { get; set; } = "/sys/bus/w1/devices";
}

/// <summary>One sensor wired to the gateway: an item of <c>Floxide:Sensors:Devices</c>.</summary>
public sealed class SensorDeviceOptions
{
    /// <summary>The sensor's id, unique within the gateway; it appears in topics and metrics.</summary>
    /// <value>Letters, digits, '-', '_' and '.', at most 64 characters.</value>
    public string Id { get; set; } = "";

    /// <summary>The device profile's name, e.g. <c>bme280</c>, <c>sht3x</c>, <c>dht22</c>.</summary>
    public string Model { get; set; } = "";

    /// <summary>A display name, or null to use <see cref="Id"/>.</summary>
    public string? Name { get; set; }

    /// <summary>The I²C bus number (<c>/dev/i2c-N</c>); I²C models only.</summary>
    /// <value>0 to 255. The default is 1, the bus on a Raspberry Pi's header.</value>
    public int Bus { get; set; } = 1;

    /// <summary>The I²C address; null for the profile's default. Accepts <c>"0x76"</c> in configuration.</summary>
    public int? Address { get; set; }

    /// <summary>The GPIO number (BCM numbering) of a DHT's data line; GPIO models only.</summary>
    public int? Pin { get; set; }

    /// <summary>The 1-Wire device id as the kernel names it, e.g. <c>28-0316a2793d0f</c>; 1-Wire models only.</summary>
    public string? OneWireId { get; set; }

    /// <summary>How often the sensor is read; null for the profile's default interval.</summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>Whether the sensor is polled.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;
}
