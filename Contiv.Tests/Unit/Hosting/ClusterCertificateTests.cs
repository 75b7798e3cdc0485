using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using Contiv.Master.Hosting;
using Contiv.Messages.Cluster;
using Xunit;

namespace Contiv.Tests.Unit.Hosting;

/// <summary>
/// The cluster's certificates: what <c>contiv-master certs</c> makes, what a node loads, and which peers a node trusts
/// (certificates of the cluster CA only: not another CA's, not a self-signed one, not an expired one, not the system's roots).
/// </summary>
[Trait("Category", "Auth")]
public sealed class ClusterCertificateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("contiv-certs-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_node_certificate_of_the_cluster_CA_is_trusted_and_serves_both_ends_of_a_connection()
    {
        using var authority = ClusterCertificateAuthority.CreateAuthority("contiv");
        using var node = ClusterCertificateAuthority.IssueNode(authority, "h1");
        var tls = new ClusterTls(node, Public(authority));

        Assert.Null(tls.Untrusted(Public(node)));
        Assert.True(node.HasPrivateKey);
        Assert.Equal(authority.Subject, node.Issuer);
        var usages = Assert.Single(node.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        Assert.Contains("1.3.6.1.5.5.7.3.1", usages); // serverAuth: others connect to it
        Assert.Contains("1.3.6.1.5.5.7.3.2", usages); // clientAuth: it connects to others
        Assert.False(Assert.Single(node.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.True(Assert.Single(authority.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
    }

    [Fact]
    public void A_certificate_of_another_CA_is_not_trusted()
    {
        using var authority = ClusterCertificateAuthority.CreateAuthority("contiv");
        using var other = ClusterCertificateAuthority.CreateAuthority("other");
        using var node = ClusterCertificateAuthority.IssueNode(authority, "h1");
        using var stranger = ClusterCertificateAuthority.IssueNode(other, "h1");

        var reason = new ClusterTls(node, Public(authority)).Untrusted(Public(stranger));

        Assert.NotNull(reason);
        Assert.Contains("does not chain to the cluster CA", reason);
    }

    [Fact]
    public void A_self_signed_certificate_and_no_certificate_are_not_trusted()
    {
        using var authority = ClusterCertificateAuthority.CreateAuthority("contiv");
        using var node = ClusterCertificateAuthority.IssueNode(authority, "h1");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var selfSigned = new CertificateRequest("CN=h1", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        var tls = new ClusterTls(node, Public(authority));

        Assert.Contains("does not chain to the cluster CA", tls.Untrusted(selfSigned));
        Assert.Equal("it presented no certificate", tls.Untrusted(null));
    }

    [Fact]
    public void An_expired_certificate_of_the_cluster_CA_is_not_trusted()
    {
        // A CA valid since long ago, so that it can have signed a certificate that has expired since.
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=old cluster CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        using var authority = authorityRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
        using var node = ClusterCertificateAuthority.IssueNode(authority, "h1");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Null(new ClusterTls(node, Public(authority)).Untrusted(Public(node)));
        using var expired = new CertificateRequest("CN=old", key, HashAlgorithmName.SHA256)
            .Create(authority, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1), [1, 2, 3, 4]);

        Assert.Contains("does not chain to the cluster CA", new ClusterTls(node, Public(authority)).Untrusted(expired));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Certs_init_and_certs_node_write_pem_files_a_node_loads_and_trusts_its_peers_by()
    {
        var caDir = Path.Combine(_dir, "ca");
        var nodeDir = Path.Combine(_dir, "nodes");
        Assert.Equal(0, ClusterCertsCommand.Run(["init", "--out", caDir], TextWriter.Null, TextWriter.Null));
        Assert.Equal(0, ClusterCertsCommand.Run(["node", "--ca", caDir, "--name", "h1", "--out", nodeDir], TextWriter.Null, TextWriter.Null));
        Assert.Equal(0, ClusterCertsCommand.Run(["node", "--ca", caDir, "--name", "h2", "--out", nodeDir], TextWriter.Null, TextWriter.Null));

        var h1 = Files(nodeDir, "h1", caDir).Load();
        var h2 = Files(nodeDir, "h2", caDir).Load();

        Assert.True(h1.Node.HasPrivateKey);
        Assert.Null(h1.Untrusted(Public(h2.Node)));
        Assert.Null(h2.Untrusted(Public(h1.Node)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(nodeDir, "h1.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(caDir, "ca.key")));
    }

    [Fact]
    public void Certs_init_refuses_to_replace_a_CA_and_certs_node_needs_one()
    {
        var caDir = Path.Combine(_dir, "ca");
        var errors = new StringWriter();
        Assert.Equal(0, ClusterCertsCommand.Run(["init", "--out", caDir], TextWriter.Null, errors));
        var first = File.ReadAllText(Path.Combine(caDir, "ca.crt"));

        Assert.Equal(2, ClusterCertsCommand.Run(["init", "--out", caDir], TextWriter.Null, errors));
        Assert.Equal(2, ClusterCertsCommand.Run(["node", "--ca", Path.Combine(_dir, "none"), "--name", "h1", "--out", _dir], TextWriter.Null, errors));

        Assert.Equal(first, File.ReadAllText(Path.Combine(caDir, "ca.crt")));
        Assert.Contains("already holds a cluster CA", errors.ToString());
        Assert.Contains("certs init --out", errors.ToString());
    }

    [Fact]
    public void A_pkcs12_certificate_with_its_password_loads_too()
    {
        using var authority = ClusterCertificateAuthority.CreateAuthority("contiv");
        using var node = ClusterCertificateAuthority.IssueNode(authority, "h1");
        var pfx = Path.Combine(_dir, "h1.pfx");
        File.WriteAllBytes(pfx, node.Export(X509ContentType.Pkcs12, "secret"));
        ClusterCertificateAuthority.Write(authority, _dir, "ca");

        var files = ClusterTlsFiles.From(Empty, pfx, null, "secret", Path.Combine(_dir, "ca.crt"))!;
        var tls = files.Load();

        Assert.True(tls.Node.HasPrivateKey);
        Assert.Equal(node.Thumbprint, tls.Node.Thumbprint);
        var wrong = Assert.Throws<ClusterTlsException>(() => ClusterTlsFiles.From(Empty, pfx, null, "wrong", Path.Combine(_dir, "ca.crt"))!.Load());
        Assert.Contains(pfx, wrong.Message);
    }

    [Fact]
    public void A_certificate_without_the_CA_is_refused_and_no_certificate_at_all_is_none()
    {
        using var authority = ClusterCertificateAuthority.CreateAuthority("contiv");
        ClusterCertificateAuthority.Write(authority, _dir, "ca");

        var error = Assert.Throws<ClusterTlsException>(() => ClusterTlsFiles.From(Empty, Path.Combine(_dir, "ca.crt"), Path.Combine(_dir, "ca.key"), null, null));

        Assert.Contains("--cluster-ca", error.Message);
        Assert.Null(ClusterTlsFiles.From(Empty, null, null, null, null));
    }

    [Fact]
    public void The_certificate_flags_of_a_master_come_from_the_environment_as_every_flag_does()
    {
        using var authority = ClusterCertificateAuthority.CreateAuthority("contiv");
        ClusterCertificateAuthority.Write(authority, _dir, "ca");
        var ca = Path.Combine(_dir, "ca.crt");

        var options = MasterOptions.Parse([], new System.Collections.Hashtable
        {
            ["CONTIV_MASTER_CLUSTER_CERT"] = ca, ["CONTIV_MASTER_CLUSTER_KEY"] = Path.Combine(_dir, "ca.key"),
            ["CONTIV_MASTER_CLUSTER_CA"] = ca, ["CONTIV_MASTER_CLUSTER_CERT_PASSWORD"] = "pw",
        });

        Assert.Equal(ca, options.ClusterCert);
        Assert.Equal(Path.Combine(_dir, "ca.key"), options.ClusterKey);
        Assert.Equal(ca, options.ClusterCa);
        Assert.Equal("pw", options.ClusterCertPassword);
    }

    /// <summary>The embedded cluster.hocon: the certificate settings every node reads, all empty there.</summary>
    // ---- rotation: a bundle of CAs --------------------------------------------------------------

    [Fact]
    public void A_CA_bundle_in_one_pem_file_admits_peers_of_either_CA_and_a_single_CA_only_its_own()
    {
        using var oldCa = ClusterCertificateAuthority.CreateAuthority("old");
        using var newCa = ClusterCertificateAuthority.CreateAuthority("new");
        using var oldNode = ClusterCertificateAuthority.IssueNode(oldCa, "h1");
        using var newNode = ClusterCertificateAuthority.IssueNode(newCa, "h2");
        ClusterCertificateAuthority.Write(oldNode, _dir, "h1");
        var bundle = Path.Combine(_dir, "bundle.crt");
        File.WriteAllText(bundle, oldCa.ExportCertificatePem() + "\n" + newCa.ExportCertificatePem() + "\n");

        var during = new ClusterTlsFiles(Path.Combine(_dir, "h1.crt"), Path.Combine(_dir, "h1.key"), null, bundle).Load();
        Assert.Equal(2, during.Authorities.Count);
        Assert.Null(during.Untrusted(Public(newNode)));
        Assert.Null(during.Untrusted(Public(oldNode)));

        var before = new ClusterTls(oldNode, Public(oldCa));
        Assert.Contains("does not chain to the cluster CA", before.Untrusted(Public(newNode)));
    }

    // ---- expiry ----------------------------------------------------------------------------------

    private static readonly TimeSpan Month = TimeSpan.FromDays(30);

    [Fact]
    public void A_node_whose_certificate_expired_or_is_not_valid_yet_is_refused_with_the_fix()
    {
        using var authority = ClusterCertificateAuthority.CreateAuthority("contiv");
        using var node = ClusterCertificateAuthority.IssueNode(authority, "h1");
        var tls = new ClusterTls(node, Public(authority));

        var expired = tls.Expiry(new DateTimeOffset(node.NotAfter.ToUniversalTime()).AddMinutes(1), Month);
        Assert.Contains("expired on", expired.Refusal);
        Assert.Contains("contiv-master certs node", expired.Refusal);
        var early = tls.Expiry(new DateTimeOffset(node.NotBefore.ToUniversalTime()).AddMinutes(-1), Month);
        Assert.Contains("is not valid before", early.Refusal);
        var now = tls.Expiry(DateTimeOffset.UtcNow, Month);
        Assert.Null(now.Refusal);
        Assert.Empty(now.Warnings);
    }

    [Fact]
    public void A_node_certificate_expiring_within_the_warning_time_is_warned_of_and_still_starts()
    {
        using var authority = ClusterCertificateAuthority.CreateAuthority("contiv");
        using var node = ClusterCertificateAuthority.IssueNode(authority, "h1");
        var tls = new ClusterTls(node, Public(authority));

        var soon = tls.Expiry(new DateTimeOffset(node.NotAfter.ToUniversalTime()).AddDays(-10), Month);
        Assert.Null(soon.Refusal);
        var warning = Assert.Single(soon.Warnings);
        Assert.Contains("CN=h1 expires on", warning);
        Assert.Contains("contiv-master certs node", warning);
        Assert.Empty(tls.Expiry(new DateTimeOffset(node.NotAfter.ToUniversalTime()).AddDays(-40), Month).Warnings);
    }

    [Fact]
    public void A_CA_expiring_soon_is_warned_of_an_expired_one_in_a_bundle_is_named_and_all_expired_is_refused()
    {
        using var current = ClusterCertificateAuthority.CreateAuthority("current");
        using var node = ClusterCertificateAuthority.IssueNode(current, "h1");
        using var expiredCa = ShortLivedAuthority("gone", DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-1));
        using var endingCa = ShortLivedAuthority("ending", DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(10));

        var withExpired = new ClusterTls(node, [Public(current), Public(expiredCa)]).Expiry(DateTimeOffset.UtcNow, Month);
        Assert.Null(withExpired.Refusal);
        Assert.Contains("CN=gone in the CA bundle expired on", Assert.Single(withExpired.Warnings));
        Assert.Contains("remove it from the bundle", withExpired.Warnings[0]);

        var withEnding = new ClusterTls(node, [Public(current), Public(endingCa)]).Expiry(DateTimeOffset.UtcNow, Month);
        Assert.Contains("CN=ending expires on", Assert.Single(withEnding.Warnings));
        Assert.Contains("Rotating the cluster certificates", withEnding.Warnings[0]);

        var onlyExpired = new ClusterTls(node, [Public(expiredCa)]).Expiry(DateTimeOffset.UtcNow, Month);
        Assert.Contains("the cluster CA CN=gone expired on", onlyExpired.Refusal);
    }

    private static X509Certificate2 ShortLivedAuthority(string name, DateTimeOffset from, DateTimeOffset until)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(from, until);
    }

    private static Config Empty => ClusterHocon.Shared;

    private static ClusterTlsFiles Files(string dir, string node, string caDir) =>
        ClusterTlsFiles.From(Empty, Path.Combine(dir, node + ".crt"), Path.Combine(dir, node + ".key"), null, Path.Combine(caDir, "ca.crt"))!;

    /// <summary>The certificate alone, as a peer presents it (no private key).</summary>
    private static X509Certificate2 Public(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);
}
