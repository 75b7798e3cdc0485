using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Contiv.Messages.Cluster;

/// <summary>
/// Makes the cluster's certificates with the BCL's <see cref="CertificateRequest"/>: a cluster CA, and node certificates
/// signed by it. Files are PEM (<c>NAME.crt</c>, <c>NAME.key</c>), so an operator may also make or inspect them with openssl.
/// Keys are ECDSA P-256: small, and the TLS handshake of every new cluster connection stays cheap.
/// </summary>
public static class ClusterCertificateAuthority
{
    public const string AuthorityName = "ca";

    // The CA outlives its node certificates so that renewing a node never means re-issuing every other one.
    private static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan NodeLifetime = TimeSpan.FromDays(825);

    // Certificates are valid from a little in the past: clocks of the cluster's machines are never exactly equal.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    public static string CertificatePath(string directory, string name) => Path.Combine(directory, name + ".crt");
    public static string KeyPath(string directory, string name) => Path.Combine(directory, name + ".key");

    /// <summary>A new self-signed CA certificate (with its key) whose subject names the cluster.</summary>
    public static X509Certificate2 CreateAuthority(string clusterName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={clusterName} cluster CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now - ClockSkew, now + AuthorityLifetime);
    }

    /// <summary>
    /// A node certificate signed by <paramref name="authority"/> (which must hold its key). Every node is both a TLS server
    /// (others connect to it) and a client (it connects to others), so the certificate is good for both.
    /// </summary>
    public static X509Certificate2 IssueNode(X509Certificate2 authority, string nodeName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={nodeName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "serverAuth"), new Oid("1.3.6.1.5.5.7.3.2", "clientAuth")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(nodeName);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        var notAfter = now + NodeLifetime < authority.NotAfter ? now + NodeLifetime : new DateTimeOffset(authority.NotAfter.ToUniversalTime());
        using var signed = request.Create(authority, now - ClockSkew, notAfter, RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>Writes NAME.crt and NAME.key (readable by the owner only) into <paramref name="directory"/>.</summary>
    public static void Write(X509Certificate2 certificate, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException($"{name}: the certificate has no ECDSA private key to write");
        var keyPath = KeyPath(directory, name);
        // The key file is created private before the key is written into it: never readable by others, not even briefly.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(keyPath, options))
        using (var writer = new StreamWriter(file))
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(CertificatePath(directory, name), certificate.ExportCertificatePem());
    }

    /// <summary>Reads NAME.crt with its key NAME.key from <paramref name="directory"/>.</summary>
    public static X509Certificate2 Read(string directory, string name) =>
        ClusterTls.LoadWithKey(CertificatePath(directory, name), KeyPath(directory, name), password: null);

    /// <summary>
    /// The CA and one node certificate in <paramref name="directory"/>: made on the first call, read on every later one.
    /// Answers whether they were made now.
    /// </summary>
    public static bool EnsureAuthorityAndNode(string directory, string clusterName, string nodeName)
    {
        var made = false;
        if (!File.Exists(CertificatePath(directory, AuthorityName)))
        {
            using var authority = CreateAuthority(clusterName);
            Write(authority, directory, AuthorityName);
            made = true;
        }
        if (made || !File.Exists(CertificatePath(directory, nodeName)))
        {
            using var authority = Read(directory, AuthorityName);
            using var node = IssueNode(authority, nodeName);
            Write(node, directory, nodeName);
            made = true;
        }
        return made;
    }
}
