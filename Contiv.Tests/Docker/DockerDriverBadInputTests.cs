using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Contiv.Lab;
using Xunit;
using static Contiv.Tests.EndToEnd.ClusterScenario;

namespace Contiv.Tests.Docker;

/// <summary>What dockerd (or anything else on the socket) may send wrong: a clear Err, nothing leaked, nothing half made.</summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerDriverBadInputTests
{
    [Fact]
    public async Task Bad_calls_get_a_clear_err_and_leave_no_address_port_or_endpoint_behind()
    {
        await using var env = await DockerLab.StartAsync();
        await CreateNetworkAndGroupsAsync(env.Lab);
        using var driver = Client(env.Socket);

        // Malformed JSON and unknown calls.
        var (status, body) = await PostAsync(driver, "/IpamDriver.RequestPool", "{\"AddressSpace\": ");
        Assert.Equal(400, status);
        Assert.Contains("invalid JSON", Err(body));
        (status, body) = await PostAsync(driver, "/IpamDriver.RequestAddress", "[1,2]");
        Assert.Equal(400, status);
        (status, body) = await PostAsync(driver, "/NetworkDriver.Frobnicate", "{}");
        Assert.Equal(404, status);
        Assert.Contains("unknown call", Err(body));
        (status, body) = await PostAsync(driver, "/Plugin.Activate", "");
        Assert.Equal(200, status);
        Assert.Equal(["NetworkDriver", "IpamDriver"], body.GetProperty("Implements").EnumerateArray().Select(e => e.GetString()));

        // An unknown pool.
        (status, body) = await PostAsync(driver, "/IpamDriver.RequestAddress", """{"PoolID":"nope","Address":"","Options":null}""");
        Assert.Equal(200, status);
        Assert.Contains("unknown pool nope", Err(body));
        (_, body) = await PostAsync(driver, "/IpamDriver.ReleasePool", """{"PoolID":"contiv-local:default:n1"}""");
        Assert.Contains("unknown pool", Err(body));

        // A double release: the second is refused, and the address is free after the first.
        var before = await env.AllocatedAsync();
        (_, body) = await PostAsync(driver, "/IpamDriver.RequestPool", """{"AddressSpace":"contiv-local","Pool":"10.1.0.0/24","Options":{},"V6":false}""");
        var poolId = body.GetProperty("PoolID").GetString()!;
        Assert.Equal("10.1.0.0/24", body.GetProperty("Pool").GetString());
        (_, body) = await PostAsync(driver, "/IpamDriver.RequestAddress", $$"""{"PoolID":"{{poolId}}","Address":"","Options":null}""");
        var address = body.GetProperty("Address").GetString()!.Split('/')[0];
        Assert.Contains(address, await env.AllocatedAsync());
        (_, body) = await PostAsync(driver, "/IpamDriver.ReleaseAddress", $$"""{"PoolID":"{{poolId}}","Address":"{{address}}"}""");
        Assert.False(body.TryGetProperty("Err", out _), body.ToString());
        (_, body) = await PostAsync(driver, "/IpamDriver.ReleaseAddress", $$"""{"PoolID":"{{poolId}}","Address":"{{address}}"}""");
        Assert.Contains("released already", Err(body));
        Assert.Equal(before, await env.AllocatedAsync());

        // A Docker network for a Contiv network or group that does not exist, or a subnet of none.
        foreach (var args in new[]
                 {
                     new[] { "-o", "network=nope", "--ipam-opt", "network=nope" },
                     ["-o", "group=nope", "--ipam-opt", "group=nope"],
                     ["--subnet", "10.99.0.0/24"],
                     ["-o", "network=n1", "--ipam-opt", "network=n1", "--subnet", "10.99.0.0/24"],
                 })
        {
            var (code, text) = await env.TryAsync(["network", "create", "-d", env.Driver, "--ipam-driver", env.Driver, .. args, "bad"]);
            Assert.True(code != 0, text);
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(text, "does not exist|no Contiv network has subnet|is not the subnet of Contiv network"), $"{string.Join(' ', args)}: {text}");
        }
        Assert.DoesNotContain("bad", (await env.RunAsync("network", "ls", "--format", "{{.Name}}")).Split('\n'));
        Assert.Equal(before, await env.AllocatedAsync());

        // An endpoint Contiv refuses (its address is the gateway's): no endpoint, no port, no veth.
        await env.RunAsync("network", "create", "-d", env.Driver, "--ipam-driver", env.Driver, "-o", "group=web", "--ipam-opt", "group=web", "web");
        var networkId = await env.RunAsync("network", "inspect", "-f", "{{.Id}}", "web");
        (_, body) = await PostAsync(driver, "/NetworkDriver.CreateEndpoint",
            $$$"""{"NetworkID":"{{{networkId}}}","EndpointID":"e1","Interface":{"Address":"10.1.0.1/24","AddressIPv6":"","MacAddress":""},"Options":{}}""");
        Assert.Contains("already allocated", Err(body));
        (_, body) = await PostAsync(driver, "/NetworkDriver.CreateEndpoint",
            """{"NetworkID":"not-a-network","EndpointID":"e2","Interface":{"Address":"10.1.0.9/24"}}""");
        Assert.Contains("was not created through the contiv agent", Err(body));
        Assert.Equal(0, await env.EndpointCountAsync());
        var ports = (await env.Host.Ovs.Vsctl("list-ports", LabHost.Bridge)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(ports, p => Contiv.HostAgent.Plumbing.EndpointNames.IsHostInterface(p));
        var (_, links) = await LabCommands.Exec(TimeSpan.FromSeconds(10), "ip", "-n", env.Host.Namespace, "-o", "link", "show");
        Assert.DoesNotContain(Contiv.HostAgent.Plumbing.EndpointNames.HostInterface("e1"), links);

        // And the driver still serves a real container afterwards.
        var ip = await env.StartContainerAsync("after", "web");
        Assert.StartsWith("10.1.0.", ip);
    }

    private static string Err(JsonElement body) =>
        body.TryGetProperty("Err", out var err) ? err.GetString() ?? "" : throw new Xunit.Sdk.XunitException($"no Err in {body}");

    private static async Task<(int Status, JsonElement Body)> PostAsync(HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static HttpClient Client(string socket) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellation) =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellation);
            return new NetworkStream(s, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://docker-driver"), Timeout = TimeSpan.FromSeconds(60) };
}
