using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Contiv.Messages.Cluster;

/// <summary>
/// Where a node's cluster certificate is: its certificate (PEM with <see cref="Key"/>, or PKCS#12 with <see cref="Password"/>)
/// and the cluster CA's certificate that every peer's certificate must chain to. From the flags, else <c>contiv.cluster.tls</c>.
/// </summary>
public sealed record ClusterTlsFiles(string Certificate, string? Key, string? Password, string Authority)
{
    /// <summary>How to give a node its certificate, for the message of a node that has none.</summary>
    public const string Flags = "--cluster-cert NODE.crt --cluster-key NODE.key --cluster-ca ca.crt";

    public const string HowToMake =
        "make them once with `contiv-master certs init --out DIR` (the cluster CA) and, for each node, " +
        "`contiv-master certs node --ca DIR --name NODE --out DIR` (a certificate signed by it); " +
        "a PKCS#12 file works too: --cluster-cert NODE.pfx --cluster-cert-password PASSWORD";

    /// <summary>The files the flags name, else those of <c>contiv.cluster.tls</c>; null when no certificate is given at all.</summary>
    public static ClusterTlsFiles? From(Config config, string? certificate, string? key, string? password, string? authority)
    {
        certificate ??= NonEmpty(config.GetRequiredString("contiv.cluster.tls.certificate"));
        key ??= NonEmpty(config.GetRequiredString("contiv.cluster.tls.key"));
        password ??= NonEmpty(config.GetRequiredString("contiv.cluster.tls.certificate-password"));
        authority ??= NonEmpty(config.GetRequiredString("contiv.cluster.tls.ca"));
        if (certificate is null)
        {
            if (key is not null || authority is not null)
                throw new ClusterTlsException($"--cluster-key and --cluster-ca need --cluster-cert too (this node's certificate): {Flags}");
            return null;
        }
        if (authority is null)
            throw new ClusterTlsException($"--cluster-cert {certificate} needs --cluster-ca: the cluster CA's certificate (ca.crt) that every other node's certificate is checked against");
        foreach (var file in new[] { certificate, key, authority })
            if (file is not null && !File.Exists(file)) throw new ClusterTlsException($"{file}: no such file");
        return new ClusterTlsFiles(certificate, key, password, authority);
    }

    /// <summary>Reads the files; a certificate without its key, or a file that is no certificate, fails with its name.</summary>
    public ClusterTls Load()
    {
        try
        {
            var node = ClusterTls.LoadWithKey(Certificate, Key, Password);
            // A PEM file may be a bundle of CAs (a rotation under way); DER holds one.
            var authorities = new X509Certificate2Collection();
            if (File.ReadAllText(Authority).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) authorities.ImportFromPemFile(Authority);
            else authorities.Add(X509CertificateLoader.LoadCertificateFromFile(Authority));
            return new ClusterTls(node, [.. authorities]);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new ClusterTlsException($"cannot read the cluster certificate {Certificate}{(Key is null ? "" : $" with key {Key}")} or the CA {Authority}: {ex.Message}");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>
/// This node's cluster certificate and the cluster CA (one, or several while the CA is being rotated). Akka.Remote runs over
/// TLS with mutual authentication: a node presents its certificate on every connection, as server and as client, and accepts
/// a peer only if the peer's certificate chains to one of the cluster's CAs (the system's trusted roots play no part: a
/// certificate any public CA signed is still a stranger).
/// </summary>
public sealed class ClusterTls
{
    public ClusterTls(X509Certificate2 node, IReadOnlyList<X509Certificate2> authorities)
    {
        if (authorities.Count == 0) throw new ArgumentException("a cluster needs at least one CA", nameof(authorities));
        Node = node;
        Authorities = authorities;
    }

    public ClusterTls(X509Certificate2 node, X509Certificate2 authority) : this(node, [authority]) { }

    public X509Certificate2 Node { get; }
    public IReadOnlyList<X509Certificate2> Authorities { get; }

    private string AuthorityNames => string.Join(" or ", Authorities.Select(a => a.Subject));

    /// <summary>
    /// Akka.Remote's TLS setup. Hostname checks are off: nodes reach each other by IP literal and the CA, not a name, is what
    /// admits a node. The validator replaces Akka's own (which would build the chain against the system store).
    /// </summary>
    public DotNettySslSetup Setup() =>
        new(Node, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false, customValidator: Validate);

    private bool Validate(X509Certificate2? peer, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter? log)
    {
        var reason = Untrusted(peer);
        if (reason is null) return true;
        log?.Warning("Refused the cluster connection with {0}: {1}", remotePeer, reason);
        return false;
    }

    /// <summary>Null when <paramref name="peer"/> chains to the cluster CA (and is valid now), else why not.</summary>
    public string? Untrusted(X509Certificate2? peer)
    {
        if (peer is null) return "it presented no certificate";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities.ToArray());
        // The cluster CA publishes no revocation lists; a node is shut out by re-issuing the CA, not by revocation.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(peer))
            return $"{peer.Subject} does not chain to the cluster CA {AuthorityNames}: " +
                   string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("untrusted"));
        var root = chain.ChainElements[^1].Certificate;
        return Authorities.Any(a => root.RawDataMemory.Span.SequenceEqual(a.RawDataMemory.Span))
            ? null : $"{peer.Subject} chains to {root.Subject}, not to the cluster CA";
    }

    /// <summary>
    /// What the certificates' dates mean for this node at <paramref name="now"/>: a refusal when its own certificate is not
    /// valid (no peer would accept it) or every CA has expired (no peer could be accepted); a warning for each certificate
    /// that expires within <paramref name="warnWithin"/>, with what to do about it.
    /// </summary>
    public CertificateExpiry Expiry(DateTimeOffset now, TimeSpan warnWithin)
    {
        static DateTimeOffset Until(X509Certificate2 c) => new(c.NotAfter.ToUniversalTime());
        static DateTimeOffset From(X509Certificate2 c) => new(c.NotBefore.ToUniversalTime());
        static string Day(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        const string renewNode = "issue a new one with `contiv-master certs node --ca DIR --name NODE --out DIR` and restart this node";
        const string renewAuthority = "rotate the CA as README's \"Rotating the cluster certificates\" says: a bundle of the old and the new CA first";
        if (Until(Node) <= now)
            return new CertificateExpiry($"this node's cluster certificate {Node.Subject} expired on {Day(Until(Node))}: {renewNode}", []);
        if (From(Node) > now)
            return new CertificateExpiry($"this node's cluster certificate {Node.Subject} is not valid before {Day(From(Node))} (is the clock right?)", []);
        if (Authorities.All(a => Until(a) <= now))
            return new CertificateExpiry($"the cluster CA {AuthorityNames} expired on {Day(Authorities.Max(Until))}: {renewAuthority}", []);
        var warnings = new List<string>();
        if (Until(Node) - now < warnWithin)
            warnings.Add($"this node's cluster certificate {Node.Subject} expires on {Day(Until(Node))}: {renewNode}");
        foreach (var authority in Authorities.Where(a => Until(a) - now < warnWithin))
            warnings.Add(Until(authority) <= now
                ? $"the cluster CA {authority.Subject} in the CA bundle expired on {Day(Until(authority))}: remove it from the bundle"
                : $"the cluster CA {authority.Subject} expires on {Day(Until(authority))}: {renewAuthority}");
        return new CertificateExpiry(null, warnings);
    }

    /// <summary>A certificate with its private key: PEM certificate + PEM key, or PKCS#12 (with its password) when no key file is given.</summary>
    public static X509Certificate2 LoadWithKey(string certificate, string? key, string? password)
    {
        if (key is null) return X509CertificateLoader.LoadPkcs12FromFile(certificate, password);
        using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
        // Through PKCS#12 once: a key loaded from PEM is ephemeral, which TLS servers on some platforms refuse.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}

/// <summary>What the cluster certificates' dates say: <see cref="Refusal"/> (the node must not start) or warnings to log.</summary>
public sealed record CertificateExpiry(string? Refusal, IReadOnlyList<string> Warnings);

public sealed class ClusterTlsException(string message) : Exception(message);
