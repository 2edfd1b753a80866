using Floxide.Edge.Emulation;
using Floxide.Edge.Readings;
using Floxide.Edge.Tests.Support;

namespace Floxide.Edge.Tests.Emulation;

/// <summary>
/// DHT22/DHT11 over the fake GPIO driver with the datasheet's bit timing on its virtual clock (so every frame decodes
/// the same on any machine, and each read must succeed), and the DS18B20 over a fake 1-Wire sysfs tree.
/// </summary>
public sealed class GpioAndOneWireDriverTests
{
    [Theory]
    [InlineData("dht22")]
    [InlineData("dht11")]
    public async Task Poll_DhtAcrossPhysicalRange_DecodesTheFrameWithinResolution(string model)
    {
        using var rig = SensorRig.For(model, faultsBeforeOffline: 1_000);
        var temperature = rig.Profile.Quantities[Quantity.Temperature];
        var humidity = rig.Profile.Quantities[Quantity.RelativeHumidity];
        for (var step = 0; step <= 4; step++)
        {
            var celsius = temperature.Range.Minimum + (temperature.Range.Maximum - temperature.Range.Minimum) * step / 4;
            var percent = humidity.Range.Maximum - (humidity.Range.Maximum - humidity.Range.Minimum) * step / 4;
            rig.SetConditions(celsius, percent, 1013);

            var reading = await ReadDhtAsync(rig);

            Assert.InRange(reading.Temperature!.Value.DegreesCelsius, celsius - temperature.Resolution, celsius + temperature.Resolution);
            Assert.InRange(reading.Humidity!.Value.Percent, percent - humidity.Resolution, percent + humidity.Resolution);
            Assert.Null(reading.Pressure);
            Assert.Equal($"{model} gpio-4", reading.Source);
        }
    }

    [Fact]
    public async Task Poll_Dht22NegativeTemperature_KeepsTheSign()
    {
        using var rig = SensorRig.For("dht22", faultsBeforeOffline: 1_000);
        rig.SetConditions(-10.1, 65.2, 1013);

        var reading = await ReadDhtAsync(rig);

        Assert.Equal(-10.1, reading.Temperature!.Value.DegreesCelsius, 6);
        Assert.Equal(65.2, reading.Humidity!.Value.Percent, 6);
    }

    [Fact]
    public async Task Poll_DhtManyTimes_EveryFrameDecodes()
    {
        using var rig = SensorRig.For("dht22", faultsBeforeOffline: 1_000);
        rig.SetConditions(23.4, 56.7, 1013);

        for (var poll = 0; poll < 50; poll++)
        {
            var reading = await ReadDhtAsync(rig);

            Assert.Equal(23.4, reading.Temperature!.Value.DegreesCelsius, 6);
            Assert.Equal(56.7, reading.Humidity!.Value.Percent, 6);
        }
    }

    [Fact]
    public async Task Poll_DhtFaults_BecomeTheRightFaultEvents()
    {
        using var rig = SensorRig.For("dht22", faultsBeforeOffline: 1_000);
        rig.SetConditions(22, 50, 1013);

        rig.Chip.Faults.Absent = true;
        var absent = await ReadDhtFaultAsync(rig, SensorFaultKind.NotPresent);
        Assert.Contains("the line stayed high after the start signal", absent.Detail, StringComparison.Ordinal);
        rig.Chip.Faults.Absent = false;

        // 50 %RH = 0x01F4, 22 °C = 0x00DC, checksum 0xD1; the injected fault flips it to 0xD1 ^ 0x5A = 0x8B.
        rig.Chip.Faults.CorruptChecksum = true;
        var checksum = await ReadDhtFaultAsync(rig, SensorFaultKind.ChecksumMismatch);
        Assert.Contains("sent 01F400DC8B: checksum 0x8b, expected 0xd1", checksum.Detail, StringComparison.Ordinal);
        rig.Chip.Faults.CorruptChecksum = false;

        // An injected NACK cuts the frame after the humidity word: exactly 16 bits.
        rig.Chip.Faults.Nack(1);
        var cut = await ReadDhtFaultAsync(rig, SensorFaultKind.BusError);
        Assert.Contains("stopped after 16 of 40 bits", cut.Detail, StringComparison.Ordinal);
        Assert.Equal(50, (await ReadDhtAsync(rig)).Humidity!.Value.Percent, 6);

        rig.Chip.Faults.StuckValue = true;
        var before = await ReadDhtAsync(rig);
        rig.SetConditions(30, 70, 1013);
        Assert.Equal(before.Temperature, (await ReadDhtAsync(rig)).Temperature);
        rig.Chip.Faults.StuckValue = false;

        rig.Chip.Faults.Hold();
        var held = rig.Chip.Faults.WaitUntilHeldAsync();
        var poll = rig.Poller.PollOnceAsync().AsTask();
        await held.WaitAsync(SensorRig.Patience);
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        await poll.WaitAsync(SensorRig.Patience);
        Assert.Equal(SensorFaultKind.Timeout, Assert.Single(rig.Drain().OfType<SensorFault>()).Kind);
        rig.Chip.Faults.Release();
        Assert.Equal(30, (await ReadDhtAsync(rig)).Temperature!.Value.DegreesCelsius, 6);
    }

    [Theory]
    [InlineData(false, 23.4, 56.7)]
    [InlineData(false, -10.1, 65.2)]
    [InlineData(true, 23.4, 56.7)]
    public void Binding_IotDeviceDhtxx_DecodesTheEmulatedFrames(bool dht11, double celsius, double percent)
    {
        // A cross-check of the emulator against an independent decoder: dotnet/iot's own, which times bits on the
        // Stopwatch. Load can stretch a 0-bit past its 30 µs threshold (the checksum then fails), so a few attempts are
        // allowed; a frame that passes its checksum must carry exactly the conditions.
        using var driver = new EmulatedGpioDriver { TimePhasesInRealTime = true };
        var chip = driver.Attach(4, new DhtChip(dht11));
        chip.Conditions = new ChipConditions(UnitsNet.Temperature.FromDegreesCelsius(celsius), UnitsNet.RelativeHumidity.FromPercent(percent), ChipConditions.Room.Pressure);
        using var controller = new System.Device.Gpio.GpioController(driver);
        using Iot.Device.DHTxx.DhtBase binding = dht11
            ? new Iot.Device.DHTxx.Dht11(4, controller, shouldDispose: false)
            : new Iot.Device.DHTxx.Dht22(4, controller, shouldDispose: false);
        binding.MinTimeBetweenReads = TimeSpan.FromSeconds(1); // a whole second: the binding then caches nothing

        var decoded = 0;
        for (var attempt = 0; attempt < 20 && decoded < 3; attempt++)
        {
            if (binding.TryReadTemperature(out var temperature) && binding.TryReadHumidity(out var humidity))
            {
                Assert.Equal(celsius, temperature.DegreesCelsius, 6);
                Assert.Equal(percent, humidity.Percent, 6);
                decoded++;
            }
        }

        Assert.True(decoded > 0, "The binding decoded none of 20 emulated frames.");
    }

    [Fact]
    public async Task Poll_Ds18b20AcrossPhysicalRange_ReadsTheW1SlaveFileWithinResolution()
    {
        using var rig = SensorRig.For("ds18b20");
        foreach (var celsius in new[] { -55, -10.0625, 0, 20.6875, 85.5, 125 })
        {
            rig.SetConditions(celsius, 50, 1013);

            var reading = Assert.Single((await rig.PollAsync()).OfType<SensorReading>());

            Assert.Equal(celsius, reading.Temperature!.Value.DegreesCelsius, 0.0625);
            Assert.Null(reading.Humidity);
            Assert.Equal("ds18b20 w1/28-0316a2793d0f", reading.Source);
        }
    }

    [Fact]
    public async Task Poll_Ds18b20Faults_BecomeTheRightFaultEvents()
    {
        using var rig = SensorRig.For("ds18b20", faultsBeforeOffline: 1_000);
        var chip = (Ds18b20Chip)rig.Chip;

        chip.Faults.Absent = true;
        Assert.Equal(SensorFaultKind.NotPresent, Assert.Single((await rig.PollAsync()).OfType<SensorFault>()).Kind);
        chip.Faults.Absent = false;

        chip.Faults.CorruptChecksum = true;
        Assert.Equal(SensorFaultKind.ChecksumMismatch, Assert.Single((await rig.PollAsync()).OfType<SensorFault>()).Kind);
        chip.Faults.CorruptChecksum = false;

        chip.Faults.Nack(1);
        Assert.Equal(SensorFaultKind.BusError, Assert.Single((await rig.PollAsync()).OfType<SensorFault>()).Kind);

        chip.PowerOnReset = true;
        var powerOn = Assert.Single((await rig.PollAsync()).OfType<SensorFault>());
        Assert.Equal(SensorFaultKind.NoData, powerOn.Kind);
        Assert.Contains("85 °C", powerOn.Detail, StringComparison.Ordinal);
        chip.PowerOnReset = false;

        rig.SetConditions(18, 50, 1013);
        chip.Faults.StuckValue = true;
        Assert.Single((await rig.PollAsync()).OfType<SensorReading>());
        rig.SetConditions(40, 50, 1013);
        Assert.Equal(18, Assert.Single((await rig.PollAsync()).OfType<SensorReading>()).Temperature!.Value.DegreesCelsius, 3);
        chip.Faults.StuckValue = false;

        chip.Faults.Hold();
        rig.Hardware.OneWire.Refresh(); // w1_slave becomes a FIFO whose read blocks, as during a conversion
        var poll = rig.Poller.PollOnceAsync().AsTask();
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        await poll.WaitAsync(SensorRig.Patience);
        Assert.Equal(SensorFaultKind.Timeout, Assert.Single(rig.Drain().OfType<SensorFault>()).Kind);
        chip.Faults.Release();
        Assert.Equal(40, Assert.Single((await rig.PollAsync()).OfType<SensorReading>()).Temperature!.Value.DegreesCelsius, 3);
    }

    [Fact]
    public async Task Poll_Ds18b20WithAnotherFamilyId_WrongChipFault()
    {
        using var rig = SensorRig.For("ds18b20");
        var profile = SensorRig.Catalog.Get("ds18b20");
        var device = new Floxide.Edge.Sensors.SensorDeviceOptions { Id = "s", Model = "ds18b20", OneWireId = "10-000802b4cd1e" };
        rig.Hardware.OneWire.Attach(device.OneWireId);
        using var sensor = Floxide.Edge.Sensors.SensorDriverFactory.Create(profile, device, rig.Hardware);

        var result = await Task.Run(sensor.Read).WaitAsync(SensorRig.Patience);

        Assert.Equal(SensorFaultKind.WrongChip, result.Fault);
        Assert.Contains("0x10", result.Detail, StringComparison.Ordinal);
    }

    private static async Task<SensorReading> ReadDhtAsync(SensorRig rig)
    {
        var events = await rig.PollAsync();
        return events.OfType<SensorReading>().SingleOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"The DHT read failed: {string.Join("; ", events)}");
    }

    private static async Task<SensorFault> ReadDhtFaultAsync(SensorRig rig, SensorFaultKind expected)
    {
        var fault = Assert.Single((await rig.PollAsync()).OfType<SensorFault>());
        Assert.Equal(expected, fault.Kind);
        return fault;
    }
}
