namespace Floxide.Edge.Emulation;

/// <summary>
/// Faults injected into an emulated chip. Each can be switched on and off at any time from any thread; the chip
/// applies them to its next bus transfer.
/// </summary>
public sealed class ChipFaults
{
    private readonly object holdGate = new();
    private bool held;
    private TaskCompletionSource heldSignal = NewSignal();
    private int nackCount;
    private volatile bool absent;
    private volatile bool corruptChecksum;
    private volatile bool stuckValue;
    private volatile bool wrongChipId;
    private long responseDelayTicks;

    /// <summary>The chip does not answer at all: every transfer fails as a missing device does.</summary>
    public bool Absent { get => absent; set => absent = value; }

    /// <summary>Each checksum the chip sends is wrong (a noisy line). Not applicable to chips without one (BMx280).</summary>
    public bool CorruptChecksum { get => corruptChecksum; set => corruptChecksum = value; }

    /// <summary>The chip keeps reporting the value it measured when this was switched on (a frozen converter).</summary>
    public bool StuckValue { get => stuckValue; set => stuckValue = value; }

    /// <summary>
    /// Another part answers in the chip's place. A chip with an id reports another part's id (BMx280 chip id, Si7021
    /// electronic id); on I²C chips without one a device of another kind answers, with all ones (see
    /// <see cref="EmulatedI2cChip"/>). Not applicable to the DHTs (no id); a DS18B20's family is its 1-Wire id.
    /// </summary>
    public bool WrongChipId { get => wrongChipId; set => wrongChipId = value; }

    /// <summary>Each transfer takes this long before it answers (a chip stretching the clock, a slow bus).</summary>
    public TimeSpan ResponseDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref responseDelayTicks));
        set => Interlocked.Exchange(ref responseDelayTicks, value.Ticks);
    }

    /// <summary>Whether <see cref="Hold"/> is blocking transfers.</summary>
    public bool IsHeld
    {
        get
        {
            lock (holdGate)
            {
                return held;
            }
        }
    }

    /// <summary>
    /// The next <paramref name="transfers"/> transfers are not acknowledged (an I/O error), then the chip answers again.
    /// On a DHT each cuts a frame short after its first 16 bits; on 1-Wire each refresh's <c>w1_slave</c> read fails with an I/O error.
    /// </summary>
    /// <param name="transfers">How many transfers fail.</param>
    public void Nack(int transfers = 1) => Interlocked.Exchange(ref nackCount, transfers);

    /// <summary>Blocks every transfer until <see cref="Release"/>: a response that never comes in time.</summary>
    public void Hold()
    {
        lock (holdGate)
        {
            held = true;
        }
    }

    /// <summary>Lets held transfers go on.</summary>
    public void Release()
    {
        lock (holdGate)
        {
            held = false;
            Monitor.PulseAll(holdGate);
        }
    }

    /// <summary>Waits until a transfer is blocked by <see cref="Hold"/>, so a test knows a read is under way.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when a transfer is held.</returns>
    public Task WaitUntilHeldAsync(CancellationToken cancellationToken = default)
    {
        lock (holdGate)
        {
            return heldSignal.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Switches every fault off and releases held transfers.</summary>
    public void Clear()
    {
        Absent = false;
        CorruptChecksum = false;
        StuckValue = false;
        WrongChipId = false;
        ResponseDelay = TimeSpan.Zero;
        Interlocked.Exchange(ref nackCount, 0);
        Release();
    }

    /// <summary>Applies the transfer-level faults: absence, NACKs, delay and hold. Called by emulators before each transfer.</summary>
    /// <param name="where">Names the device in error messages, e.g. <c>i2c-1/0x76</c>.</param>
    /// <exception cref="IOException">The chip is absent or does not acknowledge this transfer.</exception>
    public void BeforeTransfer(string where)
    {
        if (absent)
        {
            // The Linux i2c-dev driver reports a missing device as ENXIO/EREMOTEIO in the same words.
            throw new IOException($"Error 6 performing I2C data transfer: no device answers at {where}.");
        }

        if (TryConsumeNack())
        {
            throw new IOException($"Error 121 performing I2C data transfer: {where} did not acknowledge.");
        }

        Stall();
    }

    /// <summary>Takes one of the transfers <see cref="Nack"/> asked to fail.</summary>
    /// <returns><see langword="true"/> when this transfer is to fail.</returns>
    internal bool TryConsumeNack()
    {
        while (true)
        {
            var left = Volatile.Read(ref nackCount);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref nackCount, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    /// <summary>Applies <see cref="ResponseDelay"/> and <see cref="Hold"/>.</summary>
    internal void Stall()
    {
        var delay = ResponseDelay;
        if (delay > TimeSpan.Zero)
        {
            Thread.Sleep(delay);
        }

        lock (holdGate)
        {
            if (!held)
            {
                return;
            }

            var signal = heldSignal;
            heldSignal = NewSignal();
            signal.TrySetResult();
            // Bounded so that a test that forgets to release cannot leave a thread blocked forever.
            var deadline = Environment.TickCount64 + 30_000;
            while (held && Environment.TickCount64 < deadline)
            {
                Monitor.Wait(holdGate, TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
