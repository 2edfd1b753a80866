namespace Floxide.Edge.Devices;

/// <summary>The driver keys a device profile may name; each picks the code that reads the chip.</summary>
public static class DeviceDrivers
{
    /// <summary>Bosch BME280 (temperature, humidity, pressure) on I²C, through <c>Iot.Device.Bmxx80.Bme280</c>.</summary>
    public const string Bme280 = "bme280";

    /// <summary>Bosch BMP280 (temperature, pressure) on I²C, through <c>Iot.Device.Bmxx80.Bmp280</c>.</summary>
    public const string Bmp280 = "bmp280";

    /// <summary>Sensirion SHT30/31/35 on I²C.</summary>
    public const string Sht3x = "sht3x";

    /// <summary>Sensirion SHT40/41/45 on I²C, through <c>Iot.Device.Sht4x.Sht4x</c>.</summary>
    public const string Sht4x = "sht4x";

    /// <summary>Aosong AHT20 on I²C (CRC-checked frames).</summary>
    public const string Aht20 = "aht20";

    /// <summary>Aosong AHT10 on I²C (no CRC).</summary>
    public const string Aht10 = "aht10";

    /// <summary>Silicon Labs Si7021, and the HTU21D that speaks the same protocol, on I²C.</summary>
    public const string Si7021 = "si7021";

    /// <summary>Aosong DHT22 / AM2302 on a GPIO pin, with the single-wire protocol of <c>Iot.Device.DHTxx.Dht22</c> spoken over a <c>GpioController</c>.</summary>
    public const string Dht22 = "dht22";

    /// <summary>Aosong DHT11 on a GPIO pin, with the single-wire protocol of <c>Iot.Device.DHTxx.Dht11</c> spoken over a <c>GpioController</c>.</summary>
    public const string Dht11 = "dht11";

    /// <summary>Maxim DS18B20 on 1-Wire, read from the kernel's <c>w1_slave</c> file.</summary>
    public const string Ds18b20 = "ds18b20";

    /// <summary>Every known driver key.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Bme280, Bmp280, Sht3x, Sht4x, Aht20, Aht10, Si7021, Dht22, Dht11, Ds18b20];
}
