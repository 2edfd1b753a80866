using System.Globalization;
using Floxide.Edge.Devices;
using Floxide.Edge.Readings;
using Iot.Device.OneWire;
using UnitsNet;

namespace Floxide.Edge.Sensors;

/// <summary>
/// A DS18B20 read from the kernel's <c>w1_slave</c> file under a configurable root. <see cref="OneWireThermometerDevice"/>
/// reads a hard-coded <c>/sys/devices/…</c> path, so it can be neither configured nor tested; its format is read
/// here instead, with the scratchpad's CRC checked again and the 85 °C power-on value rejected (the binding passes
/// it on as a temperature).
/// </summary>
internal sealed class Ds18b20Sensor(DeviceProfile profile, string devicesPath, string deviceId) : ISensor
{
    private static readonly byte[] PowerOnScratchpad = [0x50, 0x05];

    public string Source => $"{profile.Model} w1/{deviceId}";

    public string BusKey => "w1";

    public SensorReadResult Read()
    {
        var family = byte.TryParse(deviceId.AsSpan(0, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var parsed) ? parsed : (byte)0;
        if (profile.OneWire is { } oneWire && family != oneWire.Family)
        {
            return SensorReadResult.Failure(SensorFaultKind.WrongChip,
                $"1-Wire device {deviceId} is family 0x{family:x2} ({(DeviceFamily)family}), not the {profile.DisplayName}'s 0x{oneWire.Family:x2}.");
        }

        var folder = Path.Combine(devicesPath, deviceId);
        if (!Directory.Exists(folder))
        {
            return SensorReadResult.Failure(SensorFaultKind.NotPresent, $"1-Wire device {deviceId} is not in {devicesPath}: not connected, or 1-Wire not enabled.");
        }

        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(folder, "w1_slave"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Directory.Exists(folder)
                ? SensorReadResult.Failure(SensorFaultKind.BusError, $"Reading 1-Wire device {deviceId} failed: {exception.Message}")
                : SensorReadResult.Failure(SensorFaultKind.NotPresent, $"1-Wire device {deviceId} disappeared: {exception.Message}");
        }

        return Parse(text);
    }

    public void Dispose()
    {
    }

    internal SensorReadResult Parse(string text)
    {
        // w1_therm: "<9 bytes> : crc=<xx> YES|NO" then "<9 bytes> t=<millidegrees>".
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2)
        {
            return SensorReadResult.Failure(SensorFaultKind.NoData, $"1-Wire device {deviceId} returned {lines.Length} line(s), expected 2.");
        }

        if (!lines[0].EndsWith("YES", StringComparison.Ordinal))
        {
            return SensorReadResult.Failure(SensorFaultKind.ChecksumMismatch, $"1-Wire device {deviceId}: the kernel's CRC check failed ({lines[0]}).");
        }

        var bytes = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(9)
            .Select(b => byte.TryParse(b, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? (int)value : -1)
            .ToArray();
        if (bytes.Length != 9 || bytes.Any(b => b < 0))
        {
            return SensorReadResult.Failure(SensorFaultKind.NoData, $"1-Wire device {deviceId}: unreadable scratchpad ({lines[0]}).");
        }

        var scratchpad = bytes.Select(b => (byte)b).ToArray();
        if (Crc8.Maxim(scratchpad.AsSpan(0, 8)) != scratchpad[8])
        {
            return SensorReadResult.Failure(SensorFaultKind.ChecksumMismatch, $"1-Wire device {deviceId}: scratchpad CRC does not match ({lines[0]}).");
        }

        var marker = lines[1].LastIndexOf("t=", StringComparison.Ordinal);
        if (marker < 0 || !int.TryParse(lines[1].AsSpan(marker + 2), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millidegrees))
        {
            return SensorReadResult.Failure(SensorFaultKind.NoData, $"1-Wire device {deviceId}: no temperature in \"{lines[1]}\".");
        }

        if (millidegrees == 85_000 && scratchpad.AsSpan(0, 2).SequenceEqual(PowerOnScratchpad))
        {
            return SensorReadResult.Failure(SensorFaultKind.NoData, $"1-Wire device {deviceId} reports its power-on value 85 °C: no conversion ran (check its power).");
        }

        return SensorReadResult.Success(new SensorSample(Temperature.FromDegreesCelsius(millidegrees / 1000.0), null, null));
    }
}
