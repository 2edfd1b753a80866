using System.Collections.Concurrent;
using System.Device.I2c;

namespace Floxide.Edge.Emulation;

/// <summary>
/// An emulated I²C bus: chips at addresses, and <see cref="I2cDevice"/>s that reach them, as
/// <c>I2cDevice.Create</c> gives on a Raspberry Pi. It also watches for interleaved transactions: a transfer to one
/// chip while another chip's write is still waiting for its read.
/// </summary>
/// <param name="busId">The bus number, as in <c>/dev/i2c-N</c>.</param>
public sealed class EmulatedI2cBus(int busId)
{
    private readonly ConcurrentDictionary<int, EmulatedI2cChip> chips = new();
    private readonly Lock gate = new();
    private int pendingAddress = -1;
    private int interleavings;
    private long transfers;

    /// <summary>The bus number.</summary>
    public int BusId { get; } = busId;

    /// <summary>How often a transfer reached one chip while another chip's command was waiting for its read.</summary>
    public int Interleavings => Volatile.Read(ref interleavings);

    /// <summary>The transfers made so far.</summary>
    public long Transfers => Interlocked.Read(ref transfers);

    /// <summary>Puts <paramref name="chip"/> on the bus at <paramref name="address"/>.</summary>
    /// <param name="address">The 7-bit address.</param>
    /// <param name="chip">The chip.</param>
    /// <returns>The chip.</returns>
    /// <typeparam name="TChip">The chip's type.</typeparam>
    public TChip Attach<TChip>(int address, TChip chip)
        where TChip : EmulatedI2cChip
    {
        ArgumentNullException.ThrowIfNull(chip);
        if (!chips.TryAdd(address, chip))
        {
            throw new InvalidOperationException($"Address 0x{address:x2} on i2c-{BusId} is taken.");
        }

        return chip;
    }

    /// <summary>Takes the chip at <paramref name="address"/> off the bus.</summary>
    /// <param name="address">The address.</param>
    public void Detach(int address) => chips.TryRemove(address, out _);

    /// <summary>The chip at <paramref name="address"/>, if any.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The chip, or null.</returns>
    public EmulatedI2cChip? ChipAt(int address) => chips.GetValueOrDefault(address);

    /// <summary>Opens a device on the bus, as <c>I2cDevice.Create</c> does; no transfer happens until it is used.</summary>
    /// <param name="address">The 7-bit address.</param>
    /// <returns>The device.</returns>
    public I2cDevice CreateDevice(int address) => new EmulatedI2cDevice(this, address);

    internal void Write(int address, ReadOnlySpan<byte> data)
    {
        var chip = Begin(address, isWrite: true);
        chip.Write(data);
    }

    internal void Read(int address, Span<byte> buffer)
    {
        var chip = Begin(address, isWrite: false);
        chip.Read(buffer);
    }

    private EmulatedI2cChip Begin(int address, bool isWrite)
    {
        Interlocked.Increment(ref transfers);
        lock (gate)
        {
            if (pendingAddress >= 0 && pendingAddress != address)
            {
                interleavings++;
            }

            pendingAddress = isWrite ? address : -1;
        }

        if (!chips.TryGetValue(address, out var chip))
        {
            throw new IOException($"Error 6 performing I2C data transfer: no device answers at i2c-{BusId}/0x{address:x2}.");
        }

        chip.Faults.BeforeTransfer($"i2c-{BusId}/0x{address:x2}");
        return chip;
    }

    private sealed class EmulatedI2cDevice(EmulatedI2cBus bus, int address) : I2cDevice
    {
        public override I2cConnectionSettings ConnectionSettings { get; } = new(bus.BusId, address);

        public override void Read(Span<byte> buffer) => bus.Read(address, buffer);

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                throw new ArgumentException("An I2C write needs at least one byte.", nameof(buffer));
            }

            bus.Write(address, buffer);
        }

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            Write(writeBuffer);
            Read(readBuffer);
        }
    }
}
