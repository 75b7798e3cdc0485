using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Contiv.Lab;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.ClusterTests;

/// <summary>
/// Real contiv-master and contiv-agent processes at start-up: a node never runs cluster traffic without a certificate. A master
/// alone (the README's first command) makes a cluster CA and its certificate once and uses them on every later start; a master
/// with seeds, or an agent, without a certificate refuses to start and says how to fix it.
/// </summary>
[Trait("Category", "Auth")]
public sealed class ClusterCertificateStartupTests
{
    [Fact]
    public async Task A_master_alone_makes_its_CA_and_certificate_on_first_start_and_uses_them_again_on_the_second()
    {
        var dataDir = MasterProcess.NewDataDir();
        try
        {
            var tlsDir = Path.Combine(dataDir, "cluster-tls");
            string[] files = ["ca.crt", "ca.key", "master.crt", "master.key"];
            Dictionary<string, string> first;
            await using (var master = await MasterProcess.StartAsync(dataDir))
            {
                Assert.Contains($"made this one-node cluster's CA and this master's certificate in {tlsDir}", master.Output);
                Assert.Contains($"contiv-master certs node --ca {tlsDir} --name NODE --out DIR", master.Output);
                Assert.Contains("cluster node akka.ssl.tcp://contiv@", master.Output);
                first = files.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(tlsDir, f)));
                await master.StopAsync();
            }

            await using (var again = await MasterProcess.StartAsync(dataDir))
            {
                Assert.Contains($"using this one-node cluster's CA and this master's certificate in {tlsDir}", again.Output);
                Assert.Equal(first, files.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(tlsDir, f))));
                await again.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_master_with_seeds_and_no_certificate_refuses_to_start_and_says_how_to_make_one()
    {
        var dataDir = MasterProcess.NewDataDir();
        try
        {
            var (code, stderr) = await RunAsync("contiv-master.dll",
                "--listen", $"127.0.0.1:{LocalPorts.FreeTcpPort().ToString(CultureInfo.InvariantCulture)}", "--data-dir", dataDir,
                "--seed", "akka.ssl.tcp://contiv@127.0.0.1:4053", "--journal", "postgres", "--connection-string", "Host=127.0.0.1;Database=contiv");

            Assert.Equal(2, code);
            Assert.Contains("--cluster-cert NODE.crt --cluster-key NODE.key --cluster-ca ca.crt", stderr);
            Assert.Contains("CONTIV_MASTER_CLUSTER_CERT", stderr);
            Assert.Contains("contiv-master certs init --out DIR", stderr);
            Assert.Contains("contiv-master certs node --ca DIR --name NODE --out DIR", stderr);
            Assert.False(Directory.Exists(Path.Combine(dataDir, "cluster-tls")), "a master that joins others must not invent a CA of its own");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task An_agent_without_a_certificate_refuses_to_start_and_says_how_to_make_one()
    {
        var (code, stderr) = await RunAsync("contiv-agent.dll", "--seed", "akka.ssl.tcp://contiv@127.0.0.1:4053", "--vtep-ip", "198.18.0.1");

        Assert.Equal(2, code);
        Assert.Contains("--cluster-cert NODE.crt --cluster-key NODE.key --cluster-ca ca.crt", stderr);
        Assert.Contains("contiv-master certs init --out DIR", stderr);
    }

    [Fact]
    public async Task A_master_and_an_agent_whose_cluster_certificate_expired_refuse_to_start_and_say_how_to_renew_it()
    {
        var dir = Directory.CreateTempSubdirectory("contiv-expired-").FullName;
        var dataDir = MasterProcess.NewDataDir();
        try
        {
            WriteNode(dir, "expired", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
            string[] certificate = ["--cluster-cert", Path.Combine(dir, "expired.crt"), "--cluster-key", Path.Combine(dir, "expired.key"),
                "--cluster-ca", Path.Combine(dir, "ca.crt")];

            var (masterCode, masterOutput) = await RunAsync("contiv-master.dll",
                ["--listen", $"127.0.0.1:{LocalPorts.FreeTcpPort().ToString(CultureInfo.InvariantCulture)}", "--data-dir", dataDir, .. certificate]);
            Assert.Equal(2, masterCode);
            Assert.Contains("this node's cluster certificate CN=expired expired on", masterOutput);
            Assert.Contains("contiv-master certs node", masterOutput);

            var (agentCode, agentOutput) = await RunAsync("contiv-agent.dll",
                ["--seed", "akka.ssl.tcp://contiv@127.0.0.1:4053", "--vtep-ip", "198.18.0.1", .. certificate]);
            Assert.Equal(2, agentCode);
            Assert.Contains("this node's cluster certificate CN=expired expired on", agentOutput);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_master_whose_cluster_certificate_expires_soon_starts_and_warns_naming_the_date()
    {
        var dir = Directory.CreateTempSubdirectory("contiv-expiring-").FullName;
        try
        {
            var until = DateTimeOffset.UtcNow.AddDays(10);
            WriteNode(dir, "ending", DateTimeOffset.UtcNow.AddDays(-1), until);
            await using var master = await MasterProcess.StartAsync(extraArgs: ["--cluster-cert", Path.Combine(dir, "ending.crt"),
                "--cluster-key", Path.Combine(dir, "ending.key"), "--cluster-ca", Path.Combine(dir, "ca.crt")]);
            Assert.Contains($"WARNING: this node's cluster certificate CN=ending expires on {until.UtcDateTime:yyyy-MM-dd}", master.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A cluster CA (ca.crt) and a node certificate of it valid from <paramref name="from"/> to <paramref name="until"/>.</summary>
    private static void WriteNode(string dir, string name, DateTimeOffset from, DateTimeOffset until)
    {
        // A CA valid from before the node, as a CA that signed a certificate long ago.
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=dated cluster CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        using var authority = authorityRequest.CreateSelfSigned(from.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        Contiv.Messages.Cluster.ClusterCertificateAuthority.Write(authority, dir, "ca");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        using var signed = request.Create(authority, from, until, [7, 7, 7, 7]);
        using var withKey = signed.CopyWithPrivateKey(key);
        Contiv.Messages.Cluster.ClusterCertificateAuthority.Write(withKey, dir, name);
    }

    private static async Task<(int Code, string Stderr)> RunAsync(string dll, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stderr + await stdout);
    }
}
