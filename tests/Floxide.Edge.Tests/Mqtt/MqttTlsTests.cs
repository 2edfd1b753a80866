using Floxide.Edge.Mqtt;
using Floxide.Edge.Tests.Mqtt.Broker;

namespace Floxide.Edge.Tests.Mqtt;

public sealed class MqttTlsTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("floxide-tls-");

    public void Dispose() => directory.Delete(recursive: true);

    private static MqttOptions TlsOptions(int port, string caFile, Action<MqttOptions>? configure = null)
    {
        var options = new MqttOptions
        {
            Port = port,
            GatewayId = "gw-tls",
            Timeout = TimeSpan.FromSeconds(5),
            Tls = { Enabled = true, CaFile = caFile },
            Reconnect = { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), RefusedDelay = TimeSpan.FromMilliseconds(300) },
        };
        configure?.Invoke(options);
        return options;
    }

    private async Task<MosquittoBroker> StartTlsBrokerAsync(TestCertificates certificates, bool requireClientCertificate = false, bool withUser = false) =>
        await MosquittoBroker.StartAsync(new MosquittoConfig
        {
            Tls = new MosquittoTls(certificates.CaFile, certificates.ServerCertificateFile, certificates.ServerKeyFile, requireClientCertificate),
            Users = withUser ? new Dictionary<string, string> { ["gateway"] = "s3cret" } : new Dictionary<string, string>(),
        });

    [Fact]
    public async Task Connect_TlsWithGeneratedCaAndClientCertificate_Connects()
    {
        var certificates = TestCertificates.Create(directory);
        await using var broker = await StartTlsBrokerAsync(certificates, requireClientCertificate: true);
        await using var connection = new MqttConnection(
            TlsOptions(broker.TlsPort, certificates.CaFile, o => { o.Tls.ClientCertificateFile = certificates.ClientCertificateFile; o.Tls.ClientKeyFile = certificates.ClientKeyFile; }),
            new TestLogger<MqttConnection>(), TimeProvider.System);
        var statuses = new StatusRecorder(connection);

        await connection.StartAsync();

        await statuses.WaitForAsync(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task Connect_TlsByHostName_ChecksTheNameAgainstTheCertificate()
    {
        var certificates = TestCertificates.Create(directory);
        await using var broker = await StartTlsBrokerAsync(certificates);
        await using var good = new MqttConnection(TlsOptions(broker.TlsPort, certificates.CaFile, o => o.Tls.TargetHost = "localhost"), new TestLogger<MqttConnection>(), TimeProvider.System);
        await using var wrongName = new MqttConnection(TlsOptions(broker.TlsPort, certificates.CaFile, o => o.Tls.TargetHost = "broker.example"), new TestLogger<MqttConnection>(), TimeProvider.System);
        var goodStatuses = new StatusRecorder(good);
        var wrongStatuses = new StatusRecorder(wrongName);

        await good.StartAsync();
        await wrongName.StartAsync();

        await goodStatuses.WaitForAsync(MqttConnectionState.Connected);
        var failed = await wrongStatuses.WaitForAsync(MqttConnectionState.Unreachable);
        Assert.Contains("broker.example", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_WrongCa_FailsClearlyAndRetriesWithBackoff()
    {
        var certificates = TestCertificates.Create(directory);
        var otherCa = TestCertificates.Create(directory, "other");
        await using var broker = await StartTlsBrokerAsync(certificates);
        var logger = new TestLogger<MqttConnection>();
        await using var connection = new MqttConnection(TlsOptions(broker.TlsPort, otherCa.CaFile), logger, TimeProvider.System);
        var statuses = new StatusRecorder(connection);

        await connection.StartAsync();
        var first = await statuses.WaitForAsync(s => s.State == MqttConnectionState.Unreachable && s.FailedAttempts == 1);
        var third = await statuses.WaitForAsync(s => s.State == MqttConnectionState.Unreachable && s.FailedAttempts == 3);

        Assert.Contains("TLS handshake", first.Detail, StringComparison.Ordinal);
        Assert.Contains("Floxide:Mqtt:Tls:CaFile", first.Detail, StringComparison.Ordinal);
        Assert.Contains(otherCa.CaFile, first.Detail, StringComparison.Ordinal);
        Assert.InRange(third.RetryIn!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(200));
        Assert.Contains(logger.Messages(Microsoft.Extensions.Logging.LogLevel.Warning), m => m.Contains("TLS handshake", StringComparison.Ordinal));
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task Connect_TlsBadPassword_IsRefusedClearlyAndRetriedSlowly()
    {
        var certificates = TestCertificates.Create(directory);
        await using var broker = await StartTlsBrokerAsync(certificates, withUser: true);
        var passwordFile = Path.Combine(directory.FullName, "password");
        await File.WriteAllTextAsync(passwordFile, "not-the-password");
        await using var connection = new MqttConnection(
            TlsOptions(broker.TlsPort, certificates.CaFile, o => { o.Username = "gateway"; o.PasswordFile = passwordFile; }), new TestLogger<MqttConnection>(), TimeProvider.System);
        var statuses = new StatusRecorder(connection);

        await connection.StartAsync();
        var refused = await statuses.WaitForAsync(s => s.State == MqttConnectionState.Refused && s.FailedAttempts == 2);

        Assert.Contains("refused the connection: NotAuthorized", refused.Detail, StringComparison.Ordinal);
        Assert.InRange(refused.RetryIn!.Value, TimeSpan.FromMilliseconds(240), TimeSpan.FromMilliseconds(360));
    }

    [Fact]
    public async Task Connect_PlainClientToTlsPort_FailsAndSaysWhatToCheck()
    {
        var certificates = TestCertificates.Create(directory);
        await using var broker = await StartTlsBrokerAsync(certificates);
        await using var connection = new MqttConnection(TlsOptions(broker.TlsPort, certificates.CaFile, o => o.Tls.Enabled = false), new TestLogger<MqttConnection>(), TimeProvider.System);
        var statuses = new StatusRecorder(connection);

        await connection.StartAsync();
        var failed = await statuses.WaitForAsync(MqttConnectionState.Unreachable);

        Assert.Contains(broker.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), failed.Detail, StringComparison.Ordinal);
    }
}
