using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Contiv.Master.Access;

/// <summary>
/// The secure listener's certificate: the operator's PEM files, or a self-signed one made once into the data
/// directory (ECDSA P-256, with the listener's address and this host's name) whose fingerprint clients can pin.
/// </summary>
public static class ApiCertificate
{
    public const string SelfSignedCertificateFile = "api.crt";
    public const string SelfSignedKeyFile = "api.key";

    public static X509Certificate2 FromPem(string certificatePath, string keyPath) =>
        X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

    /// <returns>the certificate, and whether this call made it</returns>
    public static (X509Certificate2 Certificate, bool Created) SelfSigned(string directory, IPAddress listenAddress)
    {
        var certificatePath = Path.Combine(directory, SelfSignedCertificateFile);
        var keyPath = Path.Combine(directory, SelfSignedKeyFile);
        if (File.Exists(certificatePath) && File.Exists(keyPath)) return (FromPem(certificatePath, keyPath), false);

        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=contiv-master", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Dns.GetHostName());
        names.AddIpAddress(IPAddress.Loopback);
        if (!listenAddress.Equals(IPAddress.Any) && !listenAddress.Equals(IPAddress.IPv6Any) && !listenAddress.Equals(IPAddress.Loopback))
            names.AddIpAddress(listenAddress);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(5));

        // The key first, readable by this user only, then the certificate: a crash between leaves no pair that looks whole.
        WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        return (FromPem(certificatePath, keyPath), true);
    }

    /// <summary>SHA-256 of the certificate, as <c>AB:CD:...</c> (what <c>openssl x509 -fingerprint -sha256</c> prints).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', certificate.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("X2")));

    private static void WritePrivate(string path, string text)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("contiv-master writes its TLS key with Unix file modes");
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(file);
        writer.Write(text);
    }
}
