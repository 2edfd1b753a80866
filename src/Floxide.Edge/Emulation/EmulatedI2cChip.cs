namespace Floxide.Edge.Emulation;

/// <summary>An emulated chip on an I²C bus: it answers writes and reads the way the real chip's protocol does.</summary>
public abstract class EmulatedI2cChip : EmulatedChip
{
    /// <summary>
    /// Whether the chip carries an id a driver reads (the BMx280's chip id register, the Si7021's electronic id). Under
    /// <see cref="ChipFaults.WrongChipId"/> such a chip reports another part's id; a chip without one is replaced by a
    /// device of another kind, which acknowledges every transfer, ignores what is written and answers every read with
    /// all ones (as an I/O expander with its inputs pulled up does, or a bus whose SDA is stuck high).
    /// </summary>
    protected virtual bool ReportsChipId => false;

    /// <summary>Handles a write transfer from the bus, as the chip or, under a wrong chip id, as the foreign device.</summary>
    /// <param name="data">The bytes written.</param>
    internal void Write(ReadOnlySpan<byte> data)
    {
        if (!ReportsChipId && Faults.WrongChipId)
        {
            return;
        }

        OnWrite(data);
    }

    /// <summary>Handles a read transfer from the bus, as the chip or, under a wrong chip id, as the foreign device.</summary>
    /// <param name="buffer">Receives the bytes read.</param>
    internal void Read(Span<byte> buffer)
    {
        if (!ReportsChipId && Faults.WrongChipId)
        {
            buffer.Fill(0xFF);
            return;
        }

        OnRead(buffer);
    }

    /// <summary>Handles a write transfer (a register pointer, a register write or a command).</summary>
    /// <param name="data">The bytes written; at least one.</param>
    /// <exception cref="IOException">The chip does not acknowledge the write.</exception>
    public abstract void OnWrite(ReadOnlySpan<byte> data);

    /// <summary>Handles a read transfer.</summary>
    /// <param name="buffer">Receives the bytes read.</param>
    /// <exception cref="IOException">The chip does not acknowledge the read (nothing to send).</exception>
    public abstract void OnRead(Span<byte> buffer);

    /// <summary>The exception a real bus gives when the chip does not acknowledge: a chip with nothing to say NACKs.</summary>
    /// <param name="why">What the chip was asked.</param>
    /// <returns>The exception to throw.</returns>
    protected static IOException NotAcknowledged(string why) =>
        new($"Error 121 performing I2C data transfer: the chip did not acknowledge ({why}).");
}
