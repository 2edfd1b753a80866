using Microsoft.Extensions.Options;

namespace Floxide.Edge.Mqtt;

/// <summary>
/// The cross-field rules of <see cref="MqttOptions"/> that data annotations cannot express; each failure names the
/// key, the value and the fix. Register next to <c>ValidateDataAnnotations()</c>.
/// </summary>
public sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckTopic(failures, "Floxide:Mqtt:TopicPrefix", options.TopicPrefix, allowEmpty: false);
        CheckCredentials(failures, options);
        CheckTls(failures, options.Tls);
        if (options.Reconnect.InitialDelay > options.Reconnect.MaxDelay)
        {
            failures.Add($"Floxide:Mqtt:Reconnect:InitialDelay ({options.Reconnect.InitialDelay}) is longer than Floxide:Mqtt:Reconnect:MaxDelay ({options.Reconnect.MaxDelay}); make it shorter.");
        }

        for (var i = 0; i < options.Ingest.Subscriptions.Count; i++)
        {
            var subscription = options.Ingest.Subscriptions[i];
            if (!FleetTopicTemplate.TryParse(subscription.Topic, subscription.BareNumberQuantity, out _, out var error))
            {
                failures.Add($"Floxide:Mqtt:Ingest:Subscriptions:{i}:Topic '{subscription.Topic}' is not valid: {error}.");
            }
        }

        if (options.Ingest.DeadLetterTopic is { } deadLetters)
        {
            CheckTopic(failures, "Floxide:Mqtt:Ingest:DeadLetterTopic", deadLetters, allowEmpty: false);
        }

        if (options.Ingest.SharedGroup is not null && options.Protocol == MqttProtocol.V311)
        {
            // Works with mosquitto, but 3.1.1 does not define $share: say so rather than let another broker surprise.
            failures.Add("Floxide:Mqtt:Ingest:SharedGroup needs MQTT 5 shared subscriptions, but Floxide:Mqtt:Protocol is V311; use Auto or V500.");
        }

        CheckTopic(failures, "Floxide:Mqtt:HomeAssistant:DiscoveryPrefix", options.HomeAssistant.DiscoveryPrefix, allowEmpty: false);
        CheckTopic(failures, "Floxide:Mqtt:HomeAssistant:StatusTopic", options.HomeAssistant.StatusTopic, allowEmpty: false);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckCredentials(List<string> failures, MqttOptions options)
    {
        var hasFile = !string.IsNullOrEmpty(options.PasswordFile);
        var hasCredential = !string.IsNullOrEmpty(options.PasswordCredential);
        if (hasFile && hasCredential)
        {
            failures.Add("Floxide:Mqtt:PasswordFile and Floxide:Mqtt:PasswordCredential are both set; keep one.");
        }

        if ((hasFile || hasCredential) && string.IsNullOrEmpty(options.Username))
        {
            failures.Add("A password is configured but Floxide:Mqtt:Username is not; set the user name.");
        }

        if (hasFile && !File.Exists(options.PasswordFile))
        {
            failures.Add($"Floxide:Mqtt:PasswordFile '{options.PasswordFile}' does not exist; create it (readable by the gateway only) or fix the path.");
        }

        if (hasCredential && options.PasswordCredential!.AsSpan().IndexOfAny('/', '\\') >= 0)
        {
            failures.Add($"Floxide:Mqtt:PasswordCredential '{options.PasswordCredential}' must be a credential name, not a path; use Floxide:Mqtt:PasswordFile for a path.");
        }
    }

    private static void CheckTls(List<string> failures, MqttTlsOptions tls)
    {
        var anyFile = tls.CaFile ?? tls.ClientCertificateFile ?? tls.ClientKeyFile;
        if (!tls.Enabled)
        {
            if (anyFile is not null)
            {
                failures.Add($"TLS files are configured ('{anyFile}') but Floxide:Mqtt:Tls:Enabled is false; set it to true (and the port to the broker's TLS port, usually 8883).");
            }

            return;
        }

        foreach (var (key, path) in new[] { ("CaFile", tls.CaFile), ("ClientCertificateFile", tls.ClientCertificateFile), ("ClientKeyFile", tls.ClientKeyFile) })
        {
            if (path is not null && !File.Exists(path))
            {
                failures.Add($"Floxide:Mqtt:Tls:{key} '{path}' does not exist; fix the path.");
            }
        }

        if ((tls.ClientCertificateFile is null) != (tls.ClientKeyFile is null))
        {
            failures.Add("Floxide:Mqtt:Tls:ClientCertificateFile and Floxide:Mqtt:Tls:ClientKeyFile go together; set both or neither.");
        }
    }

    private static void CheckTopic(List<string> failures, string key, string? topic, bool allowEmpty)
    {
        if (string.IsNullOrEmpty(topic))
        {
            if (!allowEmpty)
            {
                failures.Add($"{key} is empty; give a topic.");
            }

            return;
        }

        if (topic.AsSpan().IndexOfAny('+', '#') >= 0 || topic.StartsWith('/') || topic.EndsWith('/') || topic.Contains("//", StringComparison.Ordinal)
            || topic.Any(char.IsControl))
        {
            failures.Add($"{key} '{topic}' is not a valid topic: no '+' or '#', no control characters, no empty levels, no leading or trailing '/'.");
        }
    }
}
