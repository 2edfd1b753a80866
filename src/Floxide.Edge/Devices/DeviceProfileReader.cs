using System.Globalization;
using System.Text.Json;
using Floxide.Edge.Readings;

namespace Floxide.Edge.Devices;

/// <summary>
/// Reads and validates <c>profile.json</c> files. Every problem is collected and reported at once, each naming the
/// file, the key and what is expected, so a person can fix a profile in one go.
/// </summary>
/// <remarks>The rules mirror <c>devices/schema/profile.schema.json</c>; a test keeps the two in step.</remarks>
public static class DeviceProfileReader
{
    private static readonly string[] TopLevelKeys =
        ["$schema", "model", "displayName", "driver", "bus", "i2c", "oneWire", "quantities", "defaultInterval", "minimumInterval", "datasheet"];

    private static readonly string[] I2cKeys = ["defaultAddress", "alternativeAddresses", "chipId"];
    private static readonly string[] ChipIdKeys = ["register", "value"];
    private static readonly string[] OneWireKeys = ["family"];
    private static readonly string[] QuantityKeys = ["min", "max", "accuracy", "resolution"];

    /// <summary>Reads one profile.</summary>
    /// <param name="file">The file's name for messages, e.g. <c>devices/bme280/profile.json</c>.</param>
    /// <param name="json">The file's content (UTF-8).</param>
    /// <param name="expectedModel">The model the profile must declare (its folder's name), or null to accept any.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="DeviceProfileException">The profile is not valid JSON or breaks a rule; every problem is listed.</exception>
    public static DeviceProfile Read(string file, ReadOnlySpan<byte> json, string? expectedModel = null)
    {
        var errors = new List<DeviceProfileError>();
        var profile = TryRead(file, json, expectedModel, errors);
        if (profile is null || errors.Count > 0)
        {
            throw new DeviceProfileException(errors);
        }

        return profile;
    }

    /// <summary>Reads one profile, adding its problems to <paramref name="errors"/>.</summary>
    /// <param name="file">The file's name for messages.</param>
    /// <param name="json">The file's content (UTF-8).</param>
    /// <param name="expectedModel">The model the profile must declare, or null to accept any.</param>
    /// <param name="errors">Collects the problems found.</param>
    /// <returns>The profile, or null when it has problems.</returns>
    public static DeviceProfile? TryRead(string file, ReadOnlySpan<byte> json, string? expectedModel, ICollection<DeviceProfileError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var context = new Context(file, errors);
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException exception)
        {
            context.Error("$", $"is not valid JSON: {exception.Message}");
            return null;
        }

        using (document)
        {
            var before = errors.Count;
            var profile = ReadProfile(document.RootElement, expectedModel, context);
            return errors.Count == before ? profile : null;
        }
    }

    private static DeviceProfile? ReadProfile(JsonElement root, string? expectedModel, Context context)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            context.Error("$", $"is a JSON {Describe(root.ValueKind)}; expected an object with the keys {string.Join(", ", TopLevelKeys.Skip(1))}.");
            return null;
        }

        context.RejectUnknownKeys(root, "", TopLevelKeys);
        var model = context.RequiredString(root, "model", "a lower-case name such as \"bme280\"");
        if (model is not null && !IsModelName(model))
        {
            context.Error("model", $"is \"{model}\"; expected lower-case letters, digits and '-' only, such as \"bme280\".");
        }
        else if (model is not null && expectedModel is not null && !string.Equals(model, expectedModel, StringComparison.Ordinal))
        {
            context.Error("model", $"is \"{model}\"; expected \"{expectedModel}\", the name of the profile's folder.");
        }

        var displayName = context.RequiredString(root, "displayName", "the chip's name for people, such as \"Bosch BME280\"");
        var driver = context.RequiredString(root, "driver", $"one of {string.Join(", ", DeviceDrivers.All)}");
        if (driver is not null && !DeviceDrivers.All.Contains(driver))
        {
            context.Error("driver", $"is \"{driver}\", which no driver handles; expected one of {string.Join(", ", DeviceDrivers.All)}.");
        }

        var busName = context.RequiredString(root, "bus", "\"i2c\", \"gpio\" or \"1-wire\"");
        DeviceBus? bus = busName switch
        {
            null => null,
            "i2c" => DeviceBus.I2c,
            "gpio" => DeviceBus.Gpio,
            "1-wire" => DeviceBus.OneWire,
            _ => null,
        };
        if (busName is not null && bus is null)
        {
            context.Error("bus", $"is \"{busName}\"; expected \"i2c\", \"gpio\" or \"1-wire\".");
        }

        var i2c = ReadI2c(root, bus, context);
        var oneWire = ReadOneWire(root, bus, context);
        var quantities = ReadQuantities(root, context);
        var defaultInterval = context.RequiredInterval(root, "defaultInterval");
        var minimumInterval = context.RequiredInterval(root, "minimumInterval");
        if (defaultInterval is { } d && minimumInterval is { } m && d < m)
        {
            context.Error("defaultInterval", $"is {d:c}, shorter than minimumInterval {m:c}; expected at least {m:c}.");
        }

        var datasheet = context.RequiredString(root, "datasheet", "the datasheet's title, document number or address");
        if (model is null || displayName is null || driver is null || bus is null || quantities is null
            || defaultInterval is null || minimumInterval is null || datasheet is null)
        {
            return null;
        }

        return new DeviceProfile(model, displayName, driver, bus.Value, i2c, oneWire, quantities, defaultInterval.Value, minimumInterval.Value, datasheet);
    }

    private static I2cProfile? ReadI2c(JsonElement root, DeviceBus? bus, Context context)
    {
        var present = root.TryGetProperty("i2c", out var i2c);
        if (bus != DeviceBus.I2c)
        {
            if (present && bus is not null)
            {
                context.Error("i2c", $"is set, but the bus is not \"i2c\"; remove it.");
            }

            return null;
        }

        if (!present || i2c.ValueKind != JsonValueKind.Object)
        {
            context.Error("i2c", "is missing; expected an object with defaultAddress (e.g. \"0x76\"), and optionally alternativeAddresses and chipId.");
            return null;
        }

        context.RejectUnknownKeys(i2c, "i2c.", I2cKeys);
        var defaultAddress = context.RequiredHexByte(i2c, "i2c.", "defaultAddress", 0x08, 0x77);
        var alternatives = new List<int>();
        if (i2c.TryGetProperty("alternativeAddresses", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                context.Error("i2c.alternativeAddresses", $"is a JSON {Describe(list.ValueKind)}; expected an array of addresses such as [\"0x77\"].");
            }
            else
            {
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (context.HexByte(item, $"i2c.alternativeAddresses[{index}]", 0x08, 0x77) is { } address)
                    {
                        if (address == defaultAddress || alternatives.Contains(address))
                        {
                            context.Error($"i2c.alternativeAddresses[{index}]", $"is 0x{address:x2}, which is listed already; list each address once.");
                        }

                        alternatives.Add(address);
                    }

                    index++;
                }
            }
        }

        ChipIdRegister? chipId = null;
        if (i2c.TryGetProperty("chipId", out var chip))
        {
            if (chip.ValueKind != JsonValueKind.Object)
            {
                context.Error("i2c.chipId", $"is a JSON {Describe(chip.ValueKind)}; expected an object such as {{ \"register\": \"0xD0\", \"value\": \"0x60\" }}.");
            }
            else
            {
                context.RejectUnknownKeys(chip, "i2c.chipId.", ChipIdKeys);
                var register = context.RequiredHexByte(chip, "i2c.chipId.", "register", 0x00, 0xFF);
                var value = context.RequiredHexByte(chip, "i2c.chipId.", "value", 0x00, 0xFF);
                if (register is not null && value is not null)
                {
                    chipId = new ChipIdRegister((byte)register.Value, (byte)value.Value);
                }
            }
        }

        return defaultAddress is null ? null : new I2cProfile(defaultAddress.Value, alternatives, chipId);
    }

    private static OneWireProfile? ReadOneWire(JsonElement root, DeviceBus? bus, Context context)
    {
        var present = root.TryGetProperty("oneWire", out var oneWire);
        if (bus != DeviceBus.OneWire)
        {
            if (present && bus is not null)
            {
                context.Error("oneWire", "is set, but the bus is not \"1-wire\"; remove it.");
            }

            return null;
        }

        if (!present || oneWire.ValueKind != JsonValueKind.Object)
        {
            context.Error("oneWire", "is missing; expected an object with the family code, such as { \"family\": \"0x28\" }.");
            return null;
        }

        context.RejectUnknownKeys(oneWire, "oneWire.", OneWireKeys);
        var family = context.RequiredHexByte(oneWire, "oneWire.", "family", 0x01, 0xFF);
        return family is null ? null : new OneWireProfile((byte)family.Value);
    }

    private static Dictionary<Quantity, QuantityProfile>? ReadQuantities(JsonElement root, Context context)
    {
        if (!root.TryGetProperty("quantities", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            context.Error("quantities", "is missing; expected an object keyed by temperature, humidity or pressure, each with min, max, accuracy and resolution.");
            return null;
        }

        var quantities = new Dictionary<Quantity, QuantityProfile>();
        var ok = true;
        foreach (var property in element.EnumerateObject())
        {
            var key = $"quantities.{property.Name}";
            if (!Quantities.TryParse(property.Name, out var quantity) || !string.Equals(quantity.Name(), property.Name, StringComparison.Ordinal))
            {
                context.Error(key, $"is not a quantity; expected one of {string.Join(", ", Quantities.All.Select(q => q.Name()))}.");
                ok = false;
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                context.Error(key, $"is a JSON {Describe(property.Value.ValueKind)}; expected an object with min, max, accuracy and resolution in {quantity.Unit()}.");
                ok = false;
                continue;
            }

            context.RejectUnknownKeys(property.Value, key + ".", QuantityKeys);
            var min = context.RequiredNumber(property.Value, key + ".", "min", quantity);
            var max = context.RequiredNumber(property.Value, key + ".", "max", quantity);
            var accuracy = context.RequiredNumber(property.Value, key + ".", "accuracy", quantity);
            var resolution = context.RequiredNumber(property.Value, key + ".", "resolution", quantity);
            if (min is null || max is null || accuracy is null || resolution is null)
            {
                ok = false;
                continue;
            }

            if (min >= max)
            {
                context.Error(key + ".max", $"is {Format(max.Value)}, not above min {Format(min.Value)}; expected max > min.");
                ok = false;
            }

            if (quantity == Quantity.RelativeHumidity && (min < 0 || max > 100))
            {
                context.Error(key, $"spans {Format(min.Value)}…{Format(max.Value)} %; expected a range within 0…100 %.");
                ok = false;
            }

            if (quantity == Quantity.Temperature && min < -273.15)
            {
                context.Error(key + ".min", $"is {Format(min.Value)} °C, below absolute zero; expected at least -273.15.");
                ok = false;
            }

            if (quantity == Quantity.Pressure && min <= 0)
            {
                context.Error(key + ".min", $"is {Format(min.Value)} hPa; expected a pressure above 0.");
                ok = false;
            }

            if (accuracy <= 0 || resolution <= 0)
            {
                context.Error(accuracy <= 0 ? key + ".accuracy" : key + ".resolution",
                    $"is {Format(accuracy <= 0 ? accuracy.Value : resolution.Value)}; expected a positive number in {quantity.Unit()}.");
                ok = false;
            }

            quantities[quantity] = new QuantityProfile(new ValueRange(min.Value, max.Value), accuracy.Value, resolution.Value);
        }

        if (ok && quantities.Count == 0)
        {
            context.Error("quantities", "is empty; expected at least one of temperature, humidity, pressure.");
            return null;
        }

        return ok ? quantities : null;
    }

    private static bool IsModelName(string name) =>
        name.Length > 0 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private sealed class Context(string file, ICollection<DeviceProfileError> errors)
    {
        public void Error(string key, string message) => errors.Add(new DeviceProfileError(file, key, message));

        public void RejectUnknownKeys(JsonElement element, string prefix, string[] known)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    Error(prefix + property.Name, $"is not a known key; expected one of {string.Join(", ", known.Where(k => k != "$schema"))}.");
                }
            }
        }

        public string? RequiredString(JsonElement parent, string key, string expectation)
        {
            if (!parent.TryGetProperty(key, out var value))
            {
                Error(key, $"is missing; expected {expectation}.");
                return null;
            }

            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                Error(key, $"is {(value.ValueKind == JsonValueKind.String ? "empty" : "a JSON " + Describe(value.ValueKind))}; expected {expectation}.");
                return null;
            }

            return value.GetString();
        }

        public TimeSpan? RequiredInterval(JsonElement parent, string key)
        {
            var text = RequiredString(parent, key, "a duration such as \"00:00:10\" (hh:mm:ss)");
            if (text is null)
            {
                return null;
            }

            if (!TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var interval) || interval <= TimeSpan.Zero)
            {
                Error(key, $"is \"{text}\"; expected a positive duration such as \"00:00:10\" (hh:mm:ss).");
                return null;
            }

            return interval;
        }

        public int? RequiredHexByte(JsonElement parent, string prefix, string key, int minimum, int maximum)
        {
            if (!parent.TryGetProperty(key, out var value))
            {
                Error(prefix + key, $"is missing; expected a hexadecimal byte such as \"0x{maximum:X2}\".");
                return null;
            }

            return HexByte(value, prefix + key, minimum, maximum);
        }

        public int? HexByte(JsonElement value, string key, int minimum, int maximum)
        {
            var text = value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();
            if (value.ValueKind != JsonValueKind.String
                || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                || !int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var parsed)
                || parsed < minimum || parsed > maximum)
            {
                Error(key, $"is {text}; expected a hexadecimal string from \"0x{minimum:X2}\" to \"0x{maximum:X2}\".");
                return null;
            }

            return parsed;
        }

        public double? RequiredNumber(JsonElement parent, string prefix, string key, Quantity quantity)
        {
            if (!parent.TryGetProperty(key, out var value))
            {
                Error(prefix + key, $"is missing; expected a number in {quantity.Unit()}.");
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                Error(prefix + key, $"is {value.GetRawText()}; expected a number in {quantity.Unit()}.");
                return null;
            }

            return number;
        }
    }
}
