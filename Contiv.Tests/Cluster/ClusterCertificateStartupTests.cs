using System.Diagnostics;
using System.Globalization;
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
