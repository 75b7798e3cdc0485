using Contiv.Lab;
using System.Globalization;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.Pipeline;
using Contiv.Tests.Ovs;
using Contiv.Tests.Pipeline;
using Xunit;

namespace Contiv.Tests.Dataplane;

/// <summary>
/// The compiled pipeline installed in a real ovs-vswitchd judges new connections exactly as
/// DESIGN §5 says: <c>ofproto/trace</c> verdicts over every (source, destination, protocol) of a
/// random rule set, compared with the reference written straight from the design.
/// </summary>
[Trait("Category", "Ovs")]
[Collection(OvsCollection.Name)]
public sealed class TraceMatrixTests
{
    [Fact]
    public async Task Trace_verdicts_equal_what_the_rules_say()
    {
        var cluster = PolicyMatrixTests.RandomCluster(3, ForwardingMode.Bridge, hosts: 1);
        await using var ovs = await OvsSandbox.StartAsync();
        var port = await ovs.AddBridgeAsync("br0");
        var bridge = ovs.BridgeName("br0");
        foreach (var ofport in cluster.Endpoints.Select(e => e.Port).Append(Cluster.UplinkPort))
        {
            var name = ovs.BridgeName("p" + ofport);
            await ovs.Vsctl("add-port", bridge, name, "--", "set", "interface", name, "type=internal", $"ofport_request={ofport}");
        }
        var compiled = FlowCompiler.Compile(cluster.For(0), 1);
        await using (var connection = await OpenFlowConnection.ConnectAsync($"tcp:127.0.0.1:{port}"))
        {
            await connection.ApplyBundleAsync(FlowDiff.Diff(compiled, [], []).Operations().Select(OpenFlowSwitch.ToMessage));
        }

        // Datapath actions name datapath port numbers: map each endpoint's OpenFlow port to its own.
        var datapathPort = new Dictionary<uint, string>();
        foreach (var line in (await ovs.Appctl("dpif/show")).Split('\n'))
        {
            var match = System.Text.RegularExpressions.Regex.Match(line, @"^\s+(\S+) (\d+)/(\d+):");
            if (match.Success && uint.TryParse(match.Groups[2].Value, out var ofport)) datapathPort[ofport] = match.Groups[3].Value;
        }

        var mismatches = new List<string>();
        var admitted = 0;
        foreach (var from in cluster.Endpoints)
        foreach (var to in cluster.Endpoints.Where(e => e != from))
        foreach (var (protocol, name) in new[] { (IpProtocol.Tcp, "tcp"), (IpProtocol.Udp, "udp"), (IpProtocol.Icmp, "icmp") })
        {
            var packet = $"in_port={from.Port},{name},dl_src={Mac(from.Mac)},dl_dst={Mac(to.Mac)},nw_src={from.Ip},nw_dst={to.Ip}"
                         + (protocol == IpProtocol.Icmp ? "" : $",{name}_src=40000,{name}_dst=80");
            var trace = await ovs.TraceAsync(bridge, packet, "--ct-next", "trk,new");
            var actions = trace.Split('\n').Last(l => l.StartsWith("Datapath actions:", StringComparison.Ordinal));
            // Delivered means output to the destination's own port; anything else (dropped, or sent
            // elsewhere, e.g. to another tenant's endpoint with the same address) is not delivered.
            var outputs = actions["Datapath actions:".Length..].Split(',').Select(a => a.Trim());
            var passed = outputs.Contains(datapathPort[to.Port]);
            var expected = PolicyReference.Admits(cluster, from, to, protocol, 80);
            if (expected) admitted++;
            if (passed != expected) mismatches.Add($"{from.Id}→{to.Id} {name}: trace {(passed ? "passes" : "drops")} ({actions.Trim()}), rules say {(expected ? "pass" : "drop")}");
        }
        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches.Take(20)));
        Assert.InRange(admitted, 1, cluster.Endpoints.Length * (cluster.Endpoints.Length - 1) * 3 - 1);
    }

    private static string Mac(MacAddress mac) =>
        string.Join(':', Enumerable.Range(0, 6).Select(i => ((mac.Value >> (40 - 8 * i)) & 0xff).ToString("x2", CultureInfo.InvariantCulture)));
}
