using System.Device.I2c;
using Floxide.Edge.Devices;

namespace Floxide.Edge.Sensors;

/// <summary>What answered at one address of an I²C bus scan.</summary>
/// <param name="Address">The 7-bit address.</param>
/// <param name="Matches">The profiles whose probe the chip passed (several when chips cannot be told apart, e.g. SHT3x and SHT4x at 0x44 are told apart, Si7021 and HTU21D partly).</param>
/// <param name="Detail">What the probes saw, e.g. <c>chip id 0x58</c>.</param>
public sealed record I2cScanResult(int Address, IReadOnlyList<DeviceProfile> Matches, string Detail);

/// <summary>
/// Looks for chips on an I²C bus, for the CLI's <c>devices scan</c>, in two ways: <see cref="Sweep"/> is the plain
/// <c>i2cdetect -r</c> sweep (which addresses acknowledge a read), and <see cref="Scan"/> probes the addresses the
/// I²C profiles name, each with a read its chip answers in a known way (a chip-id register, a CRC-checked status or
/// serial number), and reports which profiles match.
/// </summary>
/// <param name="catalog">The profiles to probe for.</param>
/// <param name="hardware">The buses.</param>
public sealed class I2cBusScanner(DeviceCatalog catalog, ISensorHardware hardware)
{
    /// <summary>The first address <see cref="Sweep"/> tries; 0x00–0x02 are reserved.</summary>
    public const int FirstAddress = 0x03;

    /// <summary>The last address <see cref="Sweep"/> tries; 0x78–0x7F are reserved.</summary>
    public const int LastAddress = 0x77;

    /// <summary>
    /// Tries every address from <see cref="FirstAddress"/> to <see cref="LastAddress"/> with a one-byte read, as
    /// <c>i2cdetect -r</c> does, and reports which acknowledge it. A read rather than a quick write is safe for
    /// EEPROMs and write-only chips alike; a chip that refuses a read while it has no result pending (an SHT3x NACKs
    /// the read header until it is given a command) does not show here, only in <see cref="Scan"/>.
    /// </summary>
    /// <param name="busId">The bus number N of <c>/dev/i2c-N</c>.</param>
    /// <param name="cancellationToken">Stops the sweep between addresses.</param>
    /// <returns>The addresses that acknowledged, ascending.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="UnauthorizedAccessException">The bus's device node may not be opened (the user is not in the <c>i2c</c> group).</exception>
    public IReadOnlyList<int> Sweep(int busId = 1, CancellationToken cancellationToken = default)
    {
        var found = new List<int>();
        for (var address = FirstAddress; address <= LastAddress; address++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var device = hardware.OpenI2cDevice(busId, address);
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

    /// <summary>Probes bus <paramref name="busId"/> for the chips the I²C profiles describe.</summary>
    /// <param name="busId">The bus number N of <c>/dev/i2c-N</c>.</param>
    /// <param name="cancellationToken">Stops the scan between probes.</param>
    /// <returns>One result per address where some profile's probe was answered, ordered by address.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IReadOnlyList<I2cScanResult> Scan(int busId = 1, CancellationToken cancellationToken = default)
    {
        var results = new List<I2cScanResult>();
        var profiles = catalog.All.Where(p => p.Bus == DeviceBus.I2c).ToList();
        foreach (var address in profiles.SelectMany(p => p.I2c!.Addresses).Distinct().Order())
        {
            var matches = new List<DeviceProfile>();
            var details = new List<string>();
            foreach (var profile in profiles.Where(p => p.I2c!.Addresses.Contains(address)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var device = hardware.OpenI2cDevice(busId, address);
                var (match, detail) = Probe(profile, device);
                if (match)
                {
                    matches.Add(profile);
                }

                if (detail is not null && !details.Contains(detail))
                {
                    details.Add(detail);
                }
            }

            if (matches.Count > 0 || details.Count > 0)
            {
                results.Add(new I2cScanResult(address, matches, string.Join("; ", details)));
            }
        }

        return results;
    }

    private static (bool Match, string? Detail) Probe(DeviceProfile profile, I2cDevice device)
    {
        try
        {
            if (profile.I2c!.ChipId is { } chipId)
            {
                device.WriteByte(chipId.Register);
                var id = device.ReadByte();
                return (id == chipId.Value, $"chip id 0x{id:x2} at register 0x{chipId.Register:x2}");
            }

            return profile.Driver switch
            {
                // Status register, CRC-checked (SHT3x datasheet §4.11).
                DeviceDrivers.Sht3x => Words(device, [0xF3, 0x2D], 3, "the SHT3x status command"),
                // Serial number, CRC-checked (SHT4x datasheet §4.5).
                DeviceDrivers.Sht4x => Words(device, [0x89], 6, "the SHT4x serial-number command"),
                DeviceDrivers.Aht20 or DeviceDrivers.Aht10 => (Status(device), "answers the AHTxx status command"),
                // User register: reset value 0x3A on both the Si7021 and the HTU21D (bit 1 reserved 1).
                DeviceDrivers.Si7021 => (UserRegister(device), "answers the Si70xx/HTU21D user-register command"),
                _ => (false, null),
            };
        }
        catch (IOException)
        {
            return (false, null);
        }
    }

    private static (bool Match, string Detail) Words(I2cDevice device, byte[] command, int length, string what)
    {
        device.Write(command);
        Thread.Sleep(1);
        Span<byte> frame = stackalloc byte[length];
        device.Read(frame);
        return SensirionWords.CheckFrame(frame, Crc8.Sensirion) is { } problem
            ? (false, $"answers {what} with {problem}")
            : (true, $"answers {what}");
    }

    private static bool Status(I2cDevice device)
    {
        device.WriteByte(0x71);
        return (device.ReadByte() & 0x08) != 0;
    }

    private static bool UserRegister(I2cDevice device)
    {
        device.WriteByte(0xE7);
        return (device.ReadByte() & 0x02) != 0;
    }
}
