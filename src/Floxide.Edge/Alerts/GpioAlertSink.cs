using System.Device.Gpio;
using Floxide.Edge.Classification;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Alerts;

/// <summary>
/// Drives GPIO outputs (LEDs, buzzers, relays) from the active alerts: each configured output is on, steady or
/// blinking, while at least one alert of its severity is active, and off otherwise. Pins are opened as outputs at
/// their inactive level on creation and set inactive and closed on disposal, so a stopped gateway leaves no buzzer on.
/// </summary>
/// <remarks>
/// <see cref="PublishAsync"/> is called by the dispatcher's loop; blink timers fire on the
/// <see cref="TimeProvider"/>'s timer threads; both take one lock around pin writes.
/// </remarks>
public sealed partial class GpioAlertSink : IAlertSink, IDisposable
{
    private readonly GpioController controller;
    private readonly bool ownsController;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<GpioAlertSink> logger;
    private readonly Output[] outputs;
    private readonly Dictionary<string, Severity> active = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private bool disposed;

    /// <summary>Creates the sink and opens its pins, all at their inactive level.</summary>
    /// <param name="controller">The GPIO controller, over the board's driver (or a fake driver in tests).</param>
    /// <param name="outputs">The outputs; validated by <see cref="AlertOptionsValidator"/>.</param>
    /// <param name="timeProvider">The clock that times blinking.</param>
    /// <param name="logger">Logs output changes.</param>
    /// <param name="ownsController"><see langword="true"/> to dispose <paramref name="controller"/> with the sink.</param>
    /// <exception cref="InvalidOperationException">A pin could not be opened (e.g. it is already open); the pins opened before it are set inactive and closed again, and an owned controller is disposed.</exception>
    public GpioAlertSink(GpioController controller, IEnumerable<GpioOutputOptions> outputs, TimeProvider timeProvider, ILogger<GpioAlertSink> logger, bool ownsController = false)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.controller = controller;
        this.ownsController = ownsController;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.outputs = [.. outputs.Select(options => new Output(options))];
        var opened = 0;
        try
        {
            foreach (var output in this.outputs)
            {
                controller.OpenPin(output.Options.Pin, PinMode.Output, output.Inactive);
                opened++;
                controller.Write(output.Options.Pin, output.Inactive);
            }
        }
        catch
        {
            // The caller gets no sink to dispose, so the pins opened so far are released here, and the controller too
            // when it was handed over.
            Release(this.outputs.AsSpan(0, opened));
            throw;
        }
    }

    /// <inheritdoc/>
    public string Name => "gpio";

    /// <inheritdoc/>
    public ValueTask PublishAsync(AlertNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (notification.Transition == AlertTransition.Cleared)
            {
                active.Remove(notification.Alert.Id);
            }
            else
            {
                active[notification.Alert.Id] = notification.Alert.Severity;
            }

            foreach (var output in outputs)
            {
                Apply(output, active.ContainsValue(output.Options.Severity));
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Stops blinking, sets every output inactive and closes the pins.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            foreach (var output in outputs)
            {
                output.Timer?.Dispose();
                output.Timer = null;
            }
        }

        Release(outputs);
    }

    /// <summary>Sets each output inactive and closes its pin, each on its own, so one failing pin leaves no other open.</summary>
    private void Release(ReadOnlySpan<Output> released)
    {
        try
        {
            foreach (var output in released)
            {
                var pin = output.Options.Pin;
                try
                {
                    controller.Write(pin, output.Inactive);
                }
                catch (Exception exception)
                {
                    LogReleaseFailed(exception, output.Options.DisplayName, pin, "set inactive");
                }
                finally
                {
                    try
                    {
                        controller.ClosePin(pin);
                    }
                    catch (Exception exception)
                    {
                        LogReleaseFailed(exception, output.Options.DisplayName, pin, "closed");
                    }
                }
            }
        }
        finally
        {
            if (ownsController)
            {
                controller.Dispose();
            }
        }
    }

    private void Apply(Output output, bool on)
    {
        if (on == output.On)
        {
            return;
        }

        output.On = on;
        LogOutput(output.Options.DisplayName, output.Options.Pin, on ? (output.Options.Pattern == OutputPattern.Blink ? "blinking" : "on") : "off");
        if (!on)
        {
            output.Timer?.Dispose();
            output.Timer = null;
            Write(output, lit: false);
            return;
        }

        Write(output, lit: true);
        if (output.Options.Pattern == OutputPattern.Blink)
        {
            var half = output.Options.BlinkPeriod / 2;
            output.Timer = timeProvider.CreateTimer(static state => ((BlinkState)state!).Toggle(), new BlinkState(this, output), half, half);
        }
    }

    private void Write(Output output, bool lit)
    {
        output.Lit = lit;
        controller.Write(output.Options.Pin, lit ? output.Active : output.Inactive);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert output {Output} (GPIO {Pin}) could not be {Step} on release; the other outputs are released regardless. Check the wiring and that no other process holds the pin.")]
    private partial void LogReleaseFailed(Exception exception, string output, int pin, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert output {Output} (GPIO {Pin}) is now {State}.")]
    private partial void LogOutput(string output, int pin, string state);

    private sealed class Output(GpioOutputOptions options)
    {
        public GpioOutputOptions Options { get; } = options;

        public PinValue Active => Options.ActiveLow ? PinValue.Low : PinValue.High;

        public PinValue Inactive => Options.ActiveLow ? PinValue.High : PinValue.Low;

        public bool On { get; set; }

        public bool Lit { get; set; }

        public ITimer? Timer { get; set; }
    }

    private sealed class BlinkState(GpioAlertSink sink, Output output)
    {
        public void Toggle()
        {
            lock (sink.gate)
            {
                // A tick that raced with switching off or disposal must not light the output again.
                if (!sink.disposed && output.On)
                {
                    sink.Write(output, !output.Lit);
                }
            }
        }
    }
}
