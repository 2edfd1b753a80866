using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Floxide.Edge.Tests.Mqtt.Broker;

/// <summary>PEM files of a CA, a server certificate it signed (localhost, 127.0.0.1) and a client certificate, made at test time.</summary>
internal sealed record TestCertificates(string CaFile, string ServerCertificateFile, string ServerKeyFile, string ClientCertificateFile, string ClientKeyFile)
{
    public static TestCertificates Create(DirectoryInfo directory, string name = "ca")
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(30);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=Floxide Test {name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        string Write(string file, string pem)
        {
            var path = Path.Combine(directory.FullName, $"{name}-{file}");
            File.WriteAllText(path, pem);
            return path;
        }

        (string Certificate, string Key) Issue(string subject, string usageOid, Action<CertificateRequest>? extra = null)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
            extra?.Invoke(request);
            using var certificate = request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
            return (Write($"{subject}.crt", certificate.ExportCertificatePem()), Write($"{subject}.key", key.ExportPkcs8PrivateKeyPem()));
        }

        var (serverCertificate, serverKey) = Issue("localhost", "1.3.6.1.5.5.7.3.1", request =>
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        });
        var (clientCertificate, clientKey) = Issue("gateway", "1.3.6.1.5.5.7.3.2");
        return new TestCertificates(Write("ca.crt", ca.ExportCertificatePem()), serverCertificate, serverKey, clientCertificate, clientKey);
    }
}
