using System.Globalization;
using Floxide.Edge.Devices;
using Floxide.Edge.OptionRules;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Sensors;

/// <summary>
/// Checks <see cref="SensorsOptions"/> against the device profiles: every problem at once, each naming the key, the
/// value and the fix.
/// </summary>
/// <param name="catalog">The device profiles sensors may name.</param>
public sealed class SensorsOptionsValidator(DeviceCatalog catalog) : IValidateOptions<SensorsOptions>
{
    private const string Section = SensorsOptions.SectionName;
    private static readonly SensorsOptions Defaults = new();
    private static readonly DurationRangeAttribute ReadTimeoutRange = DurationRangeAttribute.Of<SensorsOptions>(nameof(SensorsOptions.ReadTimeout));
    private static readonly DurationRangeAttribute BusWaitTimeoutRange = DurationRangeAttribute.Of<SensorsOptions>(nameof(SensorsOptions.BusWaitTimeout));

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SensorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem of <paramref name="options"/>, one message each.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The messages; empty when the options are valid.</returns>
    public IEnumerable<string> Problems(SensorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.FaultsBeforeOffline is < 1 or > 1_000)
        {
            yield return $"{Section}:FaultsBeforeOffline is {options.FaultsBeforeOffline}; set it to a count from 1 to 1000 (default 3).";
        }

        if (ReadTimeoutRange.Problem($"{Section}:ReadTimeout", options.ReadTimeout, Defaults.ReadTimeout) is { } readTimeout)
        {
            yield return readTimeout;
        }

        if (BusWaitTimeoutRange.Problem($"{Section}:BusWaitTimeout", options.BusWaitTimeout, Defaults.BusWaitTimeout) is { } busWaitTimeout)
        {
            yield return busWaitTimeout;
        }

        if (options.ProfilesDirectory is { } directory && !Directory.Exists(directory))
        {
            yield return $"{Section}:ProfilesDirectory is '{directory}', which does not exist; point it at a folder laid out like devices/ or remove it.";
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var i2cSlots = new Dictionary<(int Bus, int Address), int>();
        var pins = new Dictionary<int, int>();
        var oneWireIds = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var index = 0; index < options.Devices.Count; index++)
        {
            var device = options.Devices[index];
            var key = $"{Section}:Devices:{index}";
            if (device is null)
            {
                yield return $"{key} is empty; give the sensor an Id and a Model.";
                continue;
            }

            foreach (var problem in DeviceProblems(key, device, ids, i2cSlots, pins, oneWireIds, index))
            {
                yield return problem;
            }
        }
    }

    private IEnumerable<string> DeviceProblems(
        string key,
        SensorDeviceOptions device,
        Dictionary<string, int> ids,
        Dictionary<(int Bus, int Address), int> i2cSlots,
        Dictionary<int, int> pins,
        Dictionary<string, int> oneWireIds,
        int index)
    {
        if (string.IsNullOrWhiteSpace(device.Id))
        {
            yield return $"{key}:Id is missing; give the sensor an id such as \"greenhouse\" (letters, digits, '-', '_', '.').";
        }
        else if (!IsValidId(device.Id))
        {
            yield return $"{key}:Id is \"{device.Id}\"; use at most 64 letters, digits, '-', '_' or '.', as it appears in MQTT topics.";
        }
        else if (!ids.TryAdd(device.Id, index))
        {
            yield return $"{key}:Id is \"{device.Id}\", already the id of {Section}:Devices:{ids[device.Id]}; give each sensor its own id.";
        }

        if (!catalog.TryGet(device.Model, out var profile))
        {
            yield return string.IsNullOrWhiteSpace(device.Model)
                ? $"{key}:Model is missing; set it to a device profile: {string.Join(", ", catalog.Models)}."
                : $"{key}:Model is \"{device.Model}\", which is not a device profile; use one of {string.Join(", ", catalog.Models)}.";
            yield break;
        }

        if (device.Interval is { } interval && interval < profile.MinimumInterval)
        {
            yield return $"{key}:Interval is {interval:c}; a {profile.Model} may be read at most every {profile.MinimumInterval:c}, so set {profile.MinimumInterval:c} or more, or remove it for {profile.DefaultInterval:c}.";
        }

        switch (profile.Bus)
        {
            case DeviceBus.I2c:
                foreach (var problem in I2cProblems(key, device, profile, i2cSlots, index))
                {
                    yield return problem;
                }

                break;
            case DeviceBus.Gpio:
                if (device.Pin is null)
                {
                    yield return $"{key}:Pin is missing; set the GPIO number (BCM) the {profile.DisplayName}'s data line is wired to, e.g. 4 (header pin 7).";
                }
                else if (device.Pin is < 0 or > 27)
                {
                    yield return $"{key}:Pin is {device.Pin}; a Raspberry Pi's header has GPIO 0 to 27 (BCM numbering).";
                }
                else if (!pins.TryAdd(device.Pin.Value, index))
                {
                    yield return $"{key}:Pin is {device.Pin}, already used by {Section}:Devices:{pins[device.Pin.Value]}; wire each DHT to its own pin.";
                }

                break;
            case DeviceBus.OneWire:
                var family = profile.OneWire!.Family;
                if (string.IsNullOrWhiteSpace(device.OneWireId))
                {
                    yield return $"{key}:OneWireId is missing; set the id the kernel lists in /sys/bus/w1/devices, e.g. \"{family:x2}-0316a2793d0f\".";
                }
                else if (!IsOneWireId(device.OneWireId, family))
                {
                    yield return $"{key}:OneWireId is \"{device.OneWireId}\"; a {profile.DisplayName} is named \"{family:x2}-\" and 12 hex digits, e.g. \"{family:x2}-0316a2793d0f\".";
                }
                else if (!oneWireIds.TryAdd(device.OneWireId, index))
                {
                    yield return $"{key}:OneWireId is \"{device.OneWireId}\", already used by {Section}:Devices:{oneWireIds[device.OneWireId]}; list each device once.";
                }

                break;
        }
    }

    private static IEnumerable<string> I2cProblems(string key, SensorDeviceOptions device, DeviceProfile profile, Dictionary<(int Bus, int Address), int> slots, int index)
    {
        var i2c = profile.I2c!;
        if (device.Bus is < 0 or > 255)
        {
            yield return $"{key}:Bus is {device.Bus}; set the I²C bus number N of /dev/i2c-N (1 on a Raspberry Pi's header).";
        }

        var address = device.Address ?? i2c.DefaultAddress;
        if (!i2c.Addresses.Contains(address))
        {
            yield return $"{key}:Address is 0x{address:x2}; a {profile.DisplayName} answers only at {string.Join(" or ", i2c.Addresses.Select(a => $"0x{a:x2}"))}.";
        }
        else if (!slots.TryAdd((device.Bus, address), index))
        {
            yield return $"{key}:Address is 0x{address:x2} on bus {device.Bus.ToString(CultureInfo.InvariantCulture)}, already taken by {Section}:Devices:{slots[(device.Bus, address)]}; two chips cannot share an address, strap one to its other address.";
        }
    }

    internal static bool IsValidId(string id) =>
        id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static bool IsOneWireId(string id, byte family) =>
        id.Length == 15 && id[2] == '-'
        && id.StartsWith(family.ToString("x2", CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase)
        && id[3..].All(char.IsAsciiHexDigit);
}
