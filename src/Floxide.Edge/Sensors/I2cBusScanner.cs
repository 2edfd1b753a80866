using System.Device.I2c;
using Floxide.Edge.Devices;

namespace Floxide.Edge.Sensors;

/// <summary>What answered at one address of an I²C bus scan.</summary>
/// <param name="Address">The 7-bit address.</param>
/// <param name="Matches">The profiles whose probe the chip passed (several when chips cannot be told apart, e.g. SHT3x and SHT4x at 0x44 are told apart, Si7021 and HTU21D partly).</param>
/// <param name="Detail">What the probes saw, e.g. <c>chip id 0x58</c>.</param>
public sealed record I2cScanResult(int Address, IReadOnlyList<DeviceProfile> Matches, string Detail);

/// <summary>
/// Probes the addresses the I²C profiles name, each with a read its chip answers in a known way (a chip-id register,
/// a CRC-checked status or serial number), and reports what answers. For the CLI's <c>devices scan</c>.
/// </summary>
/// <param name="catalog">The profiles to probe for.</param>
/// <param name="hardware">The buses.</param>
public sealed class I2cBusScanner(DeviceCatalog catalog, ISensorHardware hardware)
{
    /// <summary>Scans bus <paramref name="busId"/>.</summary>
    /// <param name="busId">The bus number N of <c>/dev/i2c-N</c>.</param>
    /// <returns>One result per address where some profile's probe was answered, ordered by address.</returns>
    public IReadOnlyList<I2cScanResult> Scan(int busId = 1)
    {
        var results = new List<I2cScanResult>();
        var profiles = catalog.All.Where(p => p.Bus == DeviceBus.I2c).ToList();
        foreach (var address in profiles.SelectMany(p => p.I2c!.Addresses).Distinct().Order())
        {
            var matches = new List<DeviceProfile>();
            var details = new List<string>();
            foreach (var profile in profiles.Where(p => p.I2c!.Addresses.Contains(address)))
            {
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
                DeviceDrivers.Sht3x => (Words(device, [0xF3, 0x2D], 3, Crc8.Sensirion), "answers the SHT3x status command"),
                // Serial number, CRC-checked (SHT4x datasheet §4.5).
                DeviceDrivers.Sht4x => (Words(device, [0x89], 6, Crc8.Sensirion), "answers the SHT4x serial-number command"),
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

    private static bool Words(I2cDevice device, byte[] command, int length, Func<ReadOnlySpan<byte>, byte> crc)
    {
        device.Write(command);
        Thread.Sleep(1);
        Span<byte> frame = stackalloc byte[length];
        device.Read(frame);
        for (var i = 0; i + 2 < length; i += 3)
        {
            if (crc(frame.Slice(i, 2)) != frame[i + 2])
            {
                return false;
            }
        }

        return true;
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
