using System.Device.I2c;
using Floxide.Edge.Devices;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Sensors;

/// <summary>
/// The life cycle every I²C driver shares: open and initialise on first use, measure, and after a bus error close
/// and probe again at once, so a chip that is gone is reported <see cref="SensorFaultKind.NotPresent"/> and a
/// glitch <see cref="SensorFaultKind.BusError"/>.
/// </summary>
internal abstract class I2cSensor(DeviceProfile profile, ISensorHardware hardware, int busId, int address) : ISensor
{
    private I2cDevice? device;
    private bool initialized;

    public string Source => $"{Profile.Model} i2c-{busId}/0x{address:x2}";

    public string BusKey => $"i2c-{busId}";

    protected DeviceProfile Profile { get; } = profile;

    protected string Where => $"0x{address:x2} on i2c-{busId}";

    public SensorReadResult Read()
    {
        try
        {
            var opened = Open();
            if (!opened.IsSuccess)
            {
                return opened;
            }

            return Measure(device!);
        }
        catch (IOException exception)
        {
            var wasInitialized = initialized;
            Close();
            if (!wasInitialized)
            {
                return SensorReadResult.Failure(SensorFaultKind.NotPresent, $"No {Profile.DisplayName} answers at {Where}: {exception.Message}");
            }

            // Probe again now: a chip that answers had a glitch; one that does not is gone.
            try
            {
                var reopened = Open();
                return reopened.IsSuccess
                    ? SensorReadResult.Failure(SensorFaultKind.BusError, $"I/O error reading the {Profile.DisplayName} at {Where}: {exception.Message}")
                    : reopened;
            }
            catch (IOException)
            {
                Close();
                return SensorReadResult.Failure(SensorFaultKind.NotPresent, $"The {Profile.DisplayName} at {Where} stopped answering: {exception.Message}");
            }
        }
    }

    public void Dispose() => Close();

    /// <summary>Checks the chip and prepares it (chip id, reset, calibration, configuration).</summary>
    /// <param name="i2c">The open device.</param>
    /// <returns>Success, or why the chip cannot be used (e.g. a wrong chip id).</returns>
    /// <exception cref="IOException">The chip did not answer.</exception>
    protected abstract SensorReadResult Initialize(I2cDevice i2c);

    /// <summary>
    /// Recognises an answer of all ones, which none of the supported chips sends to an identifying command (each sends
    /// a CRC, a status or a register it was just given): a device of another kind answers at the address, or SDA is
    /// stuck high.
    /// </summary>
    /// <param name="answer">The bytes the chip sent.</param>
    /// <param name="request">What it was asked, e.g. <c>the status command 0xF32D</c>.</param>
    /// <returns>A <see cref="SensorFaultKind.WrongChip"/> failure, or null when the answer may be the chip's.</returns>
    protected SensorReadResult? ForeignDevice(ReadOnlySpan<byte> answer, string request)
    {
        if (answer.ContainsAnyExcept((byte)0xFF))
        {
            return null;
        }

        return SensorReadResult.Failure(SensorFaultKind.WrongChip,
            $"The device at {Where} answered {request} with {Convert.ToHexString(answer)}, all ones: not a {Profile.DisplayName} " +
            "but a device of another kind at that address (or SDA stuck high). Check the address and the model configured.");
    }

    /// <summary>Takes one measurement.</summary>
    /// <param name="i2c">The open, initialised device.</param>
    /// <returns>The sample, or why there is none.</returns>
    /// <exception cref="IOException">The bus failed.</exception>
    protected abstract SensorReadResult Measure(I2cDevice i2c);

    /// <summary>Releases what <see cref="Initialize"/> made; the device itself is disposed by the caller afterwards.</summary>
    protected abstract void Release();

    private SensorReadResult Open()
    {
        if (initialized)
        {
            return SensorReadResult.Success(default);
        }

        device ??= hardware.OpenI2cDevice(busId, address);
        var result = Initialize(device);
        if (!result.IsSuccess)
        {
            Close();
            return result;
        }

        initialized = true;
        return result;
    }

    private void Close()
    {
        initialized = false;
        Release();
        device?.Dispose();
        device = null;
    }
}
