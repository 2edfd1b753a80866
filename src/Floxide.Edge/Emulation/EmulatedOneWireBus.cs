using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Floxide.Edge.Sensors;

namespace Floxide.Edge.Emulation;

/// <summary>
/// A fake of the kernel's 1-Wire sysfs tree (<c>/sys/bus/w1/devices</c>) in a directory: a bus master listing its
/// slaves, and per thermometer a <c>&lt;id&gt;/w1_slave</c> file in the w1_therm format, written from the chip's
/// conditions by <see cref="Refresh"/>.
/// </summary>
/// <remarks>
/// Faults map onto what the kernel shows: <see cref="ChipFaults.Absent"/> removes the device's folder;
/// <see cref="ChipFaults.CorruptChecksum"/> writes a scratchpad whose CRC fails (<c>crc=… NO</c>); a
/// <see cref="ChipFaults.Nack"/> makes the next refreshes' reads fail with an I/O error; <see cref="ChipFaults.Hold"/>
/// turns <c>w1_slave</c> into a FIFO whose read blocks, as a read does during a conversion, until released and
/// refreshed.
/// </remarks>
public sealed class EmulatedOneWireBus
{
    private readonly Dictionary<string, Ds18b20Chip> chips = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly HashSet<string> fifos = new(StringComparer.Ordinal);

    /// <summary>Creates the tree under <paramref name="root"/>.</summary>
    /// <param name="root">An existing, writable directory standing for <c>/sys/bus/w1/devices</c>.</param>
    public EmulatedOneWireBus(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root;
        Directory.CreateDirectory(Path.Combine(root, "w1_bus_master1"));
        WriteSlaveList();
    }

    /// <summary>The tree's root, to give the DS18B20 driver as its devices path.</summary>
    public string Root { get; }

    /// <summary>Adds a thermometer and writes its files.</summary>
    /// <param name="deviceId">The kernel's name for it, e.g. <c>28-0316a2793d0f</c>.</param>
    /// <returns>The chip.</returns>
    public Ds18b20Chip Attach(string deviceId)
    {
        var chip = new Ds18b20Chip(deviceId);
        lock (gate)
        {
            chips.Add(deviceId, chip);
            WriteSlaveList();
            Write(chip);
        }

        return chip;
    }

    /// <summary>Rewrites every device's files from its current conditions and faults.</summary>
    public void Refresh()
    {
        lock (gate)
        {
            foreach (var chip in chips.Values)
            {
                Write(chip);
            }

            WriteSlaveList();
        }
    }

    private void WriteSlaveList() =>
        File.WriteAllLines(Path.Combine(Root, "w1_bus_master1", "w1_master_slaves"),
            chips.Values.Where(c => !c.Faults.Absent).Select(c => c.DeviceId).DefaultIfEmpty("not found."));

    private void Write(Ds18b20Chip chip)
    {
        var folder = Path.Combine(Root, chip.DeviceId);
        var file = Path.Combine(folder, "w1_slave");
        if (chip.Faults.Absent)
        {
            ReleaseFifo(file, "");
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            return;
        }

        Directory.CreateDirectory(folder);
        if (chip.Faults.IsHeld)
        {
            if (fifos.Add(file))
            {
                Remove(file);
                if (MakeFifo(file, 0x1B6) != 0)
                {
                    throw new IOException($"mkfifo {file} failed with errno {Marshal.GetLastPInvokeError()}.");
                }
            }

            return;
        }

        var content = chip.Faults.TryConsumeNack() ? null : chip.W1SlaveText();
        ReleaseFifo(file, content ?? "");
        if (content is null)
        {
            // A directory in place of the file: reading it fails with an I/O error, as w1_slave does when the bus fails.
            Remove(file);
            Directory.CreateDirectory(file);
            return;
        }

        if (Directory.Exists(file))
        {
            Directory.Delete(file, recursive: true);
        }

        // Renamed over the old file, never deleted first: a poller reading meanwhile sees the old or the new content.
        var temporary = file + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, file, overwrite: true);
    }

    private static void Remove(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    // A reader blocked on the FIFO gets the content; without a reader the non-blocking open fails and nothing waits.
    private void ReleaseFifo(string path, string content)
    {
        if (!fifos.Remove(path))
        {
            return;
        }

        const int WriteOnly = 0x1;
        const int NonBlocking = 0x800;
        var descriptor = OpenFile(path, WriteOnly | NonBlocking);
        if (descriptor >= 0)
        {
            var bytes = Encoding.ASCII.GetBytes(content);
            _ = WriteFile(descriptor, bytes, bytes.Length);
            _ = CloseFile(descriptor);
        }

        File.Delete(path);
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenFile([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint WriteFile(int descriptor, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int CloseFile(int descriptor);
}

/// <summary>A Maxim DS18B20 as the kernel's w1_therm driver shows it: a scratchpad with its CRC, and the temperature.</summary>
public sealed class Ds18b20Chip : EmulatedChip
{
    internal Ds18b20Chip(string deviceId)
    {
        DeviceId = deviceId;
    }

    /// <summary>The kernel's name for the device, e.g. <c>28-0316a2793d0f</c>.</summary>
    public string DeviceId { get; }

    /// <inheritdoc/>
    public override string Model => "ds18b20";

    /// <summary>Reports the power-on scratchpad (85 °C) instead of a conversion: a sensor that lost its power.</summary>
    public bool PowerOnReset { get; set; }

    /// <summary>The content of <c>w1_slave</c> now.</summary>
    /// <returns>The two lines.</returns>
    public string W1SlaveText()
    {
        byte[] scratchpad;
        if (PowerOnReset)
        {
            scratchpad = [0x50, 0x05, 0x4B, 0x46, 0x7F, 0xFF, 0x0C, 0x10, 0];
        }
        else
        {
            // 12-bit resolution: 1/16 °C per step, two's complement (datasheet §"Operation — measuring temperature").
            var celsius = Math.Clamp(Convert().Temperature.DegreesCelsius, -55, 125);
            var raw = (short)Math.Round(celsius * 16);
            scratchpad = [(byte)raw, (byte)(raw >> 8), 0x4B, 0x46, 0x7F, 0xFF, 0x0C, 0x10, 0];
        }

        scratchpad[8] = Crc8.Maxim(scratchpad.AsSpan(0, 8));
        var crc = scratchpad[8];
        var valid = true;
        if (Faults.CorruptChecksum)
        {
            scratchpad[8] ^= 0x5A;
            valid = false;
        }

        var bytes = string.Join(' ', scratchpad.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        var rawValue = (short)(scratchpad[0] | scratchpad[1] << 8);
        // The kernel prints millidegrees with integer arithmetic: raw · 1000 / 16.
        var millidegrees = rawValue * 1000 / 16;
        return string.Create(CultureInfo.InvariantCulture,
            $"{bytes} : crc={(valid ? crc : scratchpad[8]):x2} {(valid ? "YES" : "NO")}\n{bytes} t={millidegrees}\n");
    }
}
