using System.Device.Gpio;
using Floxide.Edge.Alerts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Workflow;

/// <summary>
/// The GPIO alert outputs of <c>Floxide:Alerts:GpioOutputs</c> on the board's GPIO controller, when any are configured.
/// A machine without GPIO (a laptop running the simulated gateway) gets a warning and no outputs, not a failed start.
/// Disposing sets the outputs inactive and releases the pins.
/// </summary>
public sealed partial class GpioAlertOutputs : IDisposable
{
    /// <summary>Opens the configured outputs.</summary>
    /// <param name="options">The alert options; outputs changed by a reload apply after a restart.</param>
    /// <param name="timeProvider">Times blinking.</param>
    /// <param name="loggerFactory">Creates the sink's logger.</param>
    public GpioAlertOutputs(IOptions<AlertOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var outputs = options.Value.GpioOutputs;
        if (outputs.Count == 0)
        {
            return;
        }

        GpioController? controller = null;
        try
        {
            controller = new GpioController();
            Sink = new GpioAlertSink(controller, outputs, timeProvider, loggerFactory.CreateLogger<GpioAlertSink>(), ownsController: true);
        }
#pragma warning disable CA1031 // No GPIO chip, or no permission: the gateway still runs, without its lamps.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            controller?.Dispose();
            LogUnavailable(loggerFactory.CreateLogger<GpioAlertOutputs>(), outputs.Count, exception.Message);
        }
    }

    /// <summary>The sink driving the outputs, or <see langword="null"/> when none are configured or GPIO is unavailable.</summary>
    public GpioAlertSink? Sink { get; }

    /// <inheritdoc/>
    public void Dispose() => Sink?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Floxide:Alerts:GpioOutputs lists {Count} output(s), but GPIO is not available here ({Reason}); alerts go to the other sinks only. On a Raspberry Pi, add the gateway's user to the gpio group.")]
    private static partial void LogUnavailable(ILogger logger, int count, string reason);
}
