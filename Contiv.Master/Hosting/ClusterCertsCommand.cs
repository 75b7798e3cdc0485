using Contiv.Messages.Cluster;

namespace Contiv.Master.Hosting;

/// <summary>
/// <c>contiv-master certs init --out DIR</c> makes the cluster CA (DIR/ca.crt, DIR/ca.key);
/// <c>contiv-master certs node --ca DIR --name NODE --out DIR</c> makes a node certificate signed by it (DIR/NODE.crt, DIR/NODE.key).
/// </summary>
public static class ClusterCertsCommand
{
    public const string Usage =
        "usage: contiv-master certs init --out DIR                            the cluster CA: DIR/ca.crt, DIR/ca.key (keep ca.key safe)\n" +
        "       contiv-master certs node --ca DIR --name NODE --out DIR       a node certificate signed by it: DIR/NODE.crt, DIR/NODE.key\n" +
        "       then start each node with --cluster-cert DIR/NODE.crt --cluster-key DIR/NODE.key --cluster-ca DIR/ca.crt";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        try
        {
            var (verb, flags) = Parse(args);
            var outDir = Path.GetFullPath(Required(flags, "--out"));
            switch (verb)
            {
                case "init":
                    Refuse(flags, "--ca", "--name");
                    if (File.Exists(ClusterCertificateAuthority.CertificatePath(outDir, ClusterCertificateAuthority.AuthorityName)))
                        throw new OptionsException($"{outDir} already holds a cluster CA (ca.crt): a new one would shut out every node certificate it signed");
                    using (var authority = ClusterCertificateAuthority.CreateAuthority("contiv"))
                        ClusterCertificateAuthority.Write(authority, outDir, ClusterCertificateAuthority.AuthorityName);
                    output.WriteLine($"cluster CA: {ClusterCertificateAuthority.CertificatePath(outDir, "ca")} (give it to every node as --cluster-ca), " +
                                     $"its key {ClusterCertificateAuthority.KeyPath(outDir, "ca")} (only for `certs node`)");
                    return 0;
                case "node":
                    var caDir = Path.GetFullPath(Required(flags, "--ca"));
                    var name = Required(flags, "--name");
                    if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
                        throw new OptionsException($"--name {name}: 1-64 letters, digits, '-', '.' or '_'");
                    if (name == ClusterCertificateAuthority.AuthorityName) throw new OptionsException("--name ca is the CA's own file name: choose another");
                    if (!File.Exists(ClusterCertificateAuthority.KeyPath(caDir, ClusterCertificateAuthority.AuthorityName)))
                        throw new OptionsException($"--ca {caDir}: no ca.crt and ca.key there (make them with `contiv-master certs init --out {caDir}`)");
                    using (var authority = ClusterCertificateAuthority.Read(caDir, ClusterCertificateAuthority.AuthorityName))
                    using (var node = ClusterCertificateAuthority.IssueNode(authority, name))
                        ClusterCertificateAuthority.Write(node, outDir, name);
                    output.WriteLine($"node certificate: --cluster-cert {ClusterCertificateAuthority.CertificatePath(outDir, name)} " +
                                     $"--cluster-key {ClusterCertificateAuthority.KeyPath(outDir, name)} " +
                                     $"--cluster-ca {ClusterCertificateAuthority.CertificatePath(caDir, ClusterCertificateAuthority.AuthorityName)}");
                    return 0;
                default:
                    throw new OptionsException(Usage);
            }
        }
        catch (OptionsException ex)
        {
            errors.WriteLine($"contiv-master certs: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            errors.WriteLine($"contiv-master certs: {ex.Message}");
            return 1;
        }
    }

    private static (string Verb, Dictionary<string, string> Flags) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help") throw new OptionsException(Usage);
        var flags = new Dictionary<string, string>();
        for (var i = 1; i < args.Count; i += 2)
        {
            if (args[i] is not ("--out" or "--ca" or "--name")) throw new OptionsException($"unknown option {args[i]}\n{Usage}");
            if (i + 1 >= args.Count) throw new OptionsException($"{args[i]} needs a value\n{Usage}");
            flags[args[i]] = args[i + 1];
        }
        return (args[0], flags);
    }

    private static string Required(Dictionary<string, string> flags, string flag) =>
        flags.TryGetValue(flag, out var value) ? value : throw new OptionsException($"{flag} is required\n{Usage}");

    private static void Refuse(Dictionary<string, string> flags, params string[] unwanted)
    {
        foreach (var flag in unwanted)
            if (flags.ContainsKey(flag)) throw new OptionsException($"certs init takes no {flag}\n{Usage}");
    }
}
