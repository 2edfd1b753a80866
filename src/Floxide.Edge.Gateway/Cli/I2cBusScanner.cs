using System.Device.I2c;

namespace Floxide.Edge.Gateway.Cli;

/// <summary>
/// Finds the devices that answer on an I²C bus, as <c>i2cdetect -r</c> does: a one-byte read at every address from
/// 0x03 to 0x77. A read (rather than a quick write) is safe for EEPROMs and write-only chips alike.
/// </summary>
/// <param name="openDevice">Opens a device; <see cref="I2cDevice.Create"/> on the Pi, an emulated bus in tests.</param>
public sealed class I2cBusScanner(Func<I2cConnectionSettings, I2cDevice> openDevice)
{
    /// <summary>The first address probed; 0x00–0x02 are reserved.</summary>
    public const int FirstAddress = 0x03;

    /// <summary>The last address probed; 0x78–0x7F are reserved.</summary>
    public const int LastAddress = 0x77;

    /// <summary>Whether a bus's device node exists, e.g. <c>/dev/i2c-1</c>.</summary>
    /// <param name="busId">The bus number.</param>
    /// <returns><see langword="true"/> when the node exists.</returns>
    public static bool BusExists(int busId) => File.Exists($"/dev/i2c-{busId}");

    /// <summary>Probes every address.</summary>
    /// <param name="busId">The bus number.</param>
    /// <param name="cancellationToken">Stops between addresses.</param>
    /// <returns>The addresses that answered, ascending.</returns>
    public IReadOnlyList<int> Scan(int busId, CancellationToken cancellationToken = default)
    {
        var found = new List<int>();
        for (var address = FirstAddress; address <= LastAddress; address++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var device = openDevice(new I2cConnectionSettings(busId, address));
                device.ReadByte();
                found.Add(address);
            }
            catch (IOException)
            {
                // No acknowledgement: nothing at this address.
            }
        }

        return found;
    }
}
