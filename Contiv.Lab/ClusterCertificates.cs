using Contiv.Messages.Cluster;

namespace Contiv.Lab;

/// <summary>
/// The lab's cluster CA and node certificates: made once per test run (per process) in a sandbox directory, the way an operator
/// makes them with <c>contiv-master certs</c>, and given to every master and agent the lab starts. Cluster traffic is mutual TLS
/// only, so a node started without them could not join.
/// </summary>
public static class ClusterCertificates
{
    private const string Prefix = "contiv-certs-";
    private static readonly Lazy<string> Sandbox = new(CreateSandbox, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lock Issuing = new();

    /// <summary>The directory of ca.crt, ca.key and every node's NODE.crt / NODE.key.</summary>
    public static string Directory => Sandbox.Value;

    public static string Authority => ClusterCertificateAuthority.CertificatePath(Directory, ClusterCertificateAuthority.AuthorityName);

    /// <summary>The node's certificate files, issued by the lab's CA on first use of <paramref name="node"/>.</summary>
    public static ClusterTlsFiles Files(string node)
    {
        var directory = Directory;
        lock (Issuing)
        {
            if (!File.Exists(ClusterCertificateAuthority.CertificatePath(directory, node)))
            {
                using var authority = ClusterCertificateAuthority.Read(directory, ClusterCertificateAuthority.AuthorityName);
                using var certificate = ClusterCertificateAuthority.IssueNode(authority, node);
                ClusterCertificateAuthority.Write(certificate, directory, node);
            }
        }
        return new ClusterTlsFiles(ClusterCertificateAuthority.CertificatePath(directory, node), ClusterCertificateAuthority.KeyPath(directory, node), null, Authority);
    }

    /// <summary>contiv-master's and contiv-agent's flags for the node's certificate.</summary>
    public static IReadOnlyList<string> Flags(string node)
    {
        var files = Files(node);
        return ["--cluster-cert", files.Certificate, "--cluster-key", files.Key!, "--cluster-ca", files.Authority];
    }

    /// <summary>
    /// The certificate every lab master serves its TLS REST listener with (<c>--tls-cert</c>, <c>--tls-key</c>), as an
    /// operator gives all masters one certificate for their API name; clients of the lab trust exactly it.
    /// </summary>
    public static ClusterTlsFiles Api => Files("api");

    /// <summary>True for the lab's API certificate and nothing else: what a lab client pins.</summary>
    public static bool IsApiCertificate(System.Security.Cryptography.X509Certificates.X509Certificate? presented) =>
        presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(ApiCertificateBytes.Value);

    private static readonly Lazy<byte[]> ApiCertificateBytes = new(() =>
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Api.Certificate);
        return certificate.RawData;
    });

    /// <summary>The loaded certificate, for a node in this process.</summary>
    public static ClusterTls Tls(string node) => Files(node).Load();

    private static string CreateSandbox()
    {
        var temp = Path.GetTempPath();
        foreach (var orphan in SandboxDirectories.Orphaned(temp, Prefix))
        {
            try { System.IO.Directory.Delete(orphan, recursive: true); }
            catch (IOException) { } // another run is cleaning it up
        }
        var directory = SandboxDirectories.CreateOwnedAsync(temp, Prefix).GetAwaiter().GetResult();
        using (var authority = ClusterCertificateAuthority.CreateAuthority("contiv-lab"))
            ClusterCertificateAuthority.Write(authority, directory, ClusterCertificateAuthority.AuthorityName);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(directory, recursive: true); }
            catch (IOException) { } // a later run deletes it as an orphan
        };
        return directory;
    }
}
