namespace Floxide.Edge.Emulation;

/// <summary>An emulated chip on an I²C bus: it answers writes and reads the way the real chip's protocol does.</summary>
public abstract class EmulatedI2cChip : EmulatedChip
{
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
