using Floxide.Edge.Classification;

namespace Floxide.Edge.Alerts;

/// <summary>The alert lifecycle, delivery and outputs: configuration section <c>Floxide:Alerts</c>.</summary>
public sealed class AlertOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Floxide:Alerts";

    /// <summary>How often an active alert is notified again; 00:00:00 turns reminders off.</summary>
    /// <value>0, or 1 minute to 7 days. The default is 15 minutes.</value>
    public TimeSpan RenotifyInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The file that keeps active alerts across restarts, written only when an alert changes (an SD card wears).
    /// A relative path is resolved by the host against its state directory.
    /// </summary>
    /// <value>The default is <c>alerts.json</c>.</value>
    public string StateFile { get; set; } = "alerts.json";

    /// <summary>A sensor silent for longer than this many of its intervals raises a stale alert.</summary>
    /// <value>1.5 to 100. The default is 3.</value>
    public double StaleFactor { get; set; } = 3;

    /// <summary>How often stale sensors and due reminders are checked: the period of the gateway's timer source.</summary>
    /// <value>1 second to 10 minutes. The default is 5 seconds.</value>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The severity of stale alerts.</summary>
    /// <value>Warning or Critical. The default is Warning.</value>
    public Severity StaleSeverity { get; set; } = Severity.Warning;

    /// <summary>The severity of offline alerts.</summary>
    /// <value>Warning or Critical. The default is Critical.</value>
    public Severity OfflineSeverity { get; set; } = Severity.Critical;

    /// <summary>How failing sinks are retried.</summary>
    public AlertDeliveryOptions Delivery { get; set; } = new();

    /// <summary>GPIO outputs driven by active alerts: LEDs, buzzers, relays.</summary>
    public List<GpioOutputOptions> GpioOutputs { get; set; } = [];
}

/// <summary>How the <see cref="AlertDispatcher"/> retries a sink that fails.</summary>
public sealed class AlertDeliveryOptions
{
    /// <summary>Retries after the first failed attempt, before the notification is given up for that sink.</summary>
    /// <value>0 to 100. The default is 5.</value>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The first retry's delay; later ones back off exponentially, with jitter.</summary>
    /// <value>0 to 1 minute. The default is 1 second.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between retries.</summary>
    /// <value>At least <see cref="RetryDelay"/>, at most 1 hour. The default is 30 seconds.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one delivery attempt may take: an attempt still running then is cancelled and counts as a failure,
    /// retried like one, so a sink that hangs (a broker that accepts the connection and never answers) holds up its
    /// queue for a bounded time only.
    /// </summary>
    /// <value>1 second to 10 minutes. The default is 10 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>How a GPIO output shows that alerts of its severity are active.</summary>
public enum OutputPattern
{
    /// <summary>On while active.</summary>
    Steady,

    /// <summary>Toggles every half <see cref="GpioOutputOptions.BlinkPeriod"/> while active.</summary>
    Blink,
}

/// <summary>One GPIO output (an LED, buzzer or relay) that is on while at least one alert of its severity is active.</summary>
public sealed class GpioOutputOptions
{
    /// <summary>A name for logs, e.g. <c>red-led</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The GPIO pin, in the driver's logical (BCM) numbering.</summary>
    /// <value>0 to 1000.</value>
    public int Pin { get; set; } = -1;

    /// <summary>The severity that switches the output on.</summary>
    /// <value>Warning or Critical. The default is Critical.</value>
    public Severity Severity { get; set; } = Severity.Critical;

    /// <summary>Steady or blinking.</summary>
    public OutputPattern Pattern { get; set; } = OutputPattern.Steady;

    /// <summary>A full on/off cycle when blinking.</summary>
    /// <value>100 ms to 10 s. The default is 1 second.</value>
    public TimeSpan BlinkPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><see langword="true"/> when the output is on at a low level (e.g. many relay boards).</summary>
    public bool ActiveLow { get; set; }

    /// <summary>The name to show: <see cref="Name"/>, or <c>gpio{Pin}</c>.</summary>
    public string DisplayName => Name ?? $"gpio{Pin}";
}
