using Floxide.Edge.Readings;

namespace Floxide.Edge.Devices;

/// <summary>The bus a device is wired to.</summary>
public enum DeviceBus
{
    /// <summary>An I²C bus (<c>/dev/i2c-N</c>).</summary>
    I2c,

    /// <summary>A GPIO pin driven bit by bit (DHT single-wire protocol).</summary>
    Gpio,

    /// <summary>A Dallas 1-Wire bus read through the kernel's <c>w1</c> sysfs tree.</summary>
    OneWire,
}

/// <summary>
/// What the gateway knows about a supported chip model: the driver that reads it, its bus and addresses, the
/// quantities it measures with their physical ranges, and how often it may be read. Loaded from
/// <c>devices/&lt;model&gt;/profile.json</c>.
/// </summary>
/// <param name="Model">The profile's name, e.g. <c>bme280</c>; configuration refers to it as a sensor's model.</param>
/// <param name="DisplayName">The chip's name for people, e.g. <c>Bosch BME280</c>.</param>
/// <param name="Driver">The driver key that picks the code reading the chip, e.g. <c>si7021</c> for an HTU21D.</param>
/// <param name="Bus">The bus the chip is wired to.</param>
/// <param name="I2c">Addresses and chip id on I²C; set exactly when <paramref name="Bus"/> is <see cref="DeviceBus.I2c"/>.</param>
/// <param name="OneWire">The 1-Wire family code; set exactly when <paramref name="Bus"/> is <see cref="DeviceBus.OneWire"/>.</param>
/// <param name="Quantities">The quantities the chip measures, each with its physical range, accuracy and resolution.</param>
/// <param name="DefaultInterval">The poll interval when the configuration gives none.</param>
/// <param name="MinimumInterval">The shortest poll interval the chip supports (self-heating, conversion time).</param>
/// <param name="Datasheet">The datasheet the figures come from.</param>
public sealed record DeviceProfile(
    string Model,
    string DisplayName,
    string Driver,
    DeviceBus Bus,
    I2cProfile? I2c,
    OneWireProfile? OneWire,
    IReadOnlyDictionary<Quantity, QuantityProfile> Quantities,
    TimeSpan DefaultInterval,
    TimeSpan MinimumInterval,
    string Datasheet)
{
    /// <summary>The physical range of each quantity the chip measures, as a <see cref="Sensors.SensorDescriptor"/> wants them.</summary>
    public IReadOnlyDictionary<Quantity, ValueRange> Ranges =>
        Quantities.ToDictionary(pair => pair.Key, pair => pair.Value.Range);

    /// <summary><see langword="true"/> when the chip measures <paramref name="quantity"/>.</summary>
    /// <param name="quantity">A quantity.</param>
    /// <returns>Whether the chip measures it.</returns>
    public bool Measures(Quantity quantity) => Quantities.ContainsKey(quantity);
}

/// <summary>How a chip sits on an I²C bus.</summary>
/// <param name="DefaultAddress">The 7-bit address with the address pin in its default state.</param>
/// <param name="AlternativeAddresses">Other addresses the chip can be strapped to.</param>
/// <param name="ChipId">The register holding a fixed chip id, when the chip has one.</param>
public sealed record I2cProfile(int DefaultAddress, IReadOnlyList<int> AlternativeAddresses, ChipIdRegister? ChipId)
{
    /// <summary>Every address the chip can answer at, the default first.</summary>
    public IEnumerable<int> Addresses => AlternativeAddresses.Prepend(DefaultAddress);
}

/// <summary>A register that identifies a chip.</summary>
/// <param name="Register">The register's address.</param>
/// <param name="Value">The value the chip reports there.</param>
public sealed record ChipIdRegister(byte Register, byte Value);

/// <summary>How a chip sits on a 1-Wire bus.</summary>
/// <param name="Family">The family code: the first byte of the ROM id and of the kernel's device name (<c>28-…</c>).</param>
public sealed record OneWireProfile(byte Family);

/// <summary>One quantity a chip measures.</summary>
/// <param name="Range">The physical range, in the quantity's canonical unit; a value outside it is impossible for the chip.</param>
/// <param name="Accuracy">The datasheet's typical accuracy (±), in the canonical unit.</param>
/// <param name="Resolution">The smallest step a reading can move by, in the canonical unit.</param>
public sealed record QuantityProfile(ValueRange Range, double Accuracy, double Resolution);
