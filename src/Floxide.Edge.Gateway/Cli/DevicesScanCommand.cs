using System.Globalization;
using System.Text;
using Floxide.Edge.Devices;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Gateway.Cli;

/// <summary>
/// <c>floxide-edge devices scan [--bus N]</c>: the sweep and the profile probes of <see cref="I2cBusScanner"/> over
/// <c>/dev/i2c-N</c>, printed like <c>i2cdetect</c> followed by what each address turned out to be. The scanner reads a
/// bus that cannot be opened as an empty one, so the bus's device node is checked first for a message that says why.
/// </summary>
internal static class DevicesScanCommand
{
    /// <summary>Where the kernel puts the I²C buses' device nodes.</summary>
    public const string DeviceDirectory = "/dev";

    /// <summary>Scans bus <paramref name="busId"/> and writes the report.</summary>
    /// <returns><see cref="ExitCodes.Success"/>, or <see cref="ExitCodes.Unavailable"/> when the bus cannot be used (the reason on <paramref name="error"/>).</returns>
    public static int Run(
        TextWriter output, TextWriter error, string deviceDirectory, DeviceCatalog catalog, ISensorHardware hardware, int busId, CancellationToken cancellationToken)
    {
        if (BusProblem(deviceDirectory, busId) is { } problem)
        {
            error.WriteLine("floxide-edge: " + problem);
            return ExitCodes.Unavailable;
        }

        var scanner = new I2cBusScanner(catalog, hardware);
        var answered = scanner.Sweep(busId, cancellationToken);
        var probed = scanner.Scan(busId, cancellationToken);
        output.Write(Format(busId, answered, probed, catalog));
        return ExitCodes.Success;
    }

    /// <summary>Why bus <paramref name="busId"/> cannot be scanned, or <see langword="null"/> when it can be opened.</summary>
    public static string? BusProblem(string deviceDirectory, int busId)
    {
        var path = Path.Combine(deviceDirectory, $"i2c-{busId}");
        if (!File.Exists(path))
        {
            return $"there is no I²C bus {path}. On a Raspberry Pi enable I²C (sudo raspi-config nonint do_i2c 0, or " +
                "dtparam=i2c_arm=on in /boot/firmware/config.txt) and reboot; then check the bus number with ls /dev/i2c-*.";
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
            return null;
        }
        catch (UnauthorizedAccessException exception)
        {
            return $"cannot open {path} ({exception.Message}); add your user to the i2c group (sudo adduser $USER i2c) and log in again.";
        }
    }

    /// <summary>
    /// The report: an <c>i2cdetect</c> grid of the addresses that answered the sweep or a profile's probe, then a line
    /// per address saying which profiles it matched, or which it could be by address alone.
    /// </summary>
    public static string Format(int busId, IReadOnlyList<int> answered, IReadOnlyList<I2cScanResult> probed, DeviceCatalog catalog)
    {
        var identified = probed.Where(result => result.Matches.Count > 0).Select(result => result.Address);
        var found = answered.Union(identified).Order().ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"I²C bus {busId}: {found.Count} device(s)\n");
        text.Append("     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n");
        for (var row = 0; row < 8; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row * 16:x2}:");
            for (var column = 0; column < 16; column++)
            {
                var address = (row * 16) + column;
                text.Append(address < I2cBusScanner.FirstAddress || address > I2cBusScanner.LastAddress
                    ? "   "
                    : found.Contains(address) ? string.Create(CultureInfo.InvariantCulture, $" {address:x2}") : " --");
            }

            text.Append('\n');
        }

        foreach (var address in found.Union(probed.Select(result => result.Address)).Order())
        {
            text.Append(CultureInfo.InvariantCulture, $"0x{address:x2}: {Describe(address, probed.FirstOrDefault(result => result.Address == address), catalog)}\n");
        }

        return text.ToString();
    }

    private static string Describe(int address, I2cScanResult? probe, DeviceCatalog catalog)
    {
        var detail = string.IsNullOrEmpty(probe?.Detail) ? string.Empty : $" ({probe.Detail})";
        if (probe is { Matches.Count: > 0 })
        {
            return string.Join(" or ", probe.Matches.Select(profile => profile.Model)) + detail;
        }

        var byAddress = catalog.All.Where(profile => profile.I2c?.Addresses.Contains(address) == true).Select(profile => profile.Model).ToList();
        return byAddress.Count == 0
            ? "answers, but no profile uses this address"
            : $"no profile's probe matched{detail}; by address it could be {string.Join(" or ", byAddress)}";
    }
}
