using Akka.Configuration;
using Contiv.Messages.Cluster;

namespace Contiv.Master.Hosting;

/// <summary>
/// A master's cluster certificate: the one its flags (or <c>contiv.cluster.tls</c>) name. A master with no seeds and no
/// certificate is a one-node cluster of its own, and the README's first command must work as it is: it makes a cluster CA and
/// its own certificate in its data directory on first start, and uses them again on every later one. A master with seeds
/// joins others, whose CA it cannot invent: without a certificate it refuses to start.
/// </summary>
public static class MasterClusterTls
{
    public const string SelfIssuedDirectory = "cluster-tls";
    public const string SelfIssuedNodeName = "master";
    private const string ClusterName = "contiv";

    public static string MissingForSeeds =>
        "--seed joins other masters, over mutual TLS only: give this master a certificate from the cluster's CA with " +
        $"{ClusterTlsFiles.Flags} (or CONTIV_MASTER_CLUSTER_CERT, CONTIV_MASTER_CLUSTER_KEY, CONTIV_MASTER_CLUSTER_CA); {ClusterTlsFiles.HowToMake}";

    /// <returns>the certificate, what to say about a self-issued one, and warnings of certificates that expire soon</returns>
    public static (ClusterTls Tls, string? Notice, IReadOnlyList<string> Warnings) Resolve(Config config, MasterOptions options, IReadOnlyList<string> seeds,
        string dataDir)
    {
        try
        {
            var files = ClusterTlsFiles.From(config, options.ClusterCert, options.ClusterKey, options.ClusterCertPassword, options.ClusterCa);
            if (files is null && seeds.Count > 0) throw new OptionsException(MissingForSeeds);
            var (tls, notice) = files is null ? SelfIssued(Path.Combine(dataDir, SelfIssuedDirectory)) : (files.Load(), null);
            return (tls, notice, ClusterCertificateWatch.CheckAtStart(tls, config));
        }
        catch (ClusterTlsException ex)
        {
            throw new OptionsException(ex.Message);
        }
    }

    private static (ClusterTls, string) SelfIssued(string directory)
    {
        var made = ClusterCertificateAuthority.EnsureAuthorityAndNode(directory, ClusterName, SelfIssuedNodeName);
        var ca = ClusterCertificateAuthority.CertificatePath(directory, ClusterCertificateAuthority.AuthorityName);
        var tls = new ClusterTlsFiles(ClusterCertificateAuthority.CertificatePath(directory, SelfIssuedNodeName),
            ClusterCertificateAuthority.KeyPath(directory, SelfIssuedNodeName), null, ca).Load();
        var notice = $"contiv-master: no cluster certificate given; {(made ? "made" : "using")} this one-node cluster's CA and this master's certificate in {directory}. " +
                     $"An agent (or another master) joins with a certificate from that CA: `contiv-master certs node --ca {directory} --name NODE --out DIR`, " +
                     $"then --cluster-cert DIR/NODE.crt --cluster-key DIR/NODE.key --cluster-ca {ca}";
        return (tls, notice);
    }
}
