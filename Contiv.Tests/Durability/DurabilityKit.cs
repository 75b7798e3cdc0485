using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Durability;

/// <summary>
/// Durability tests start, stop and kill -9 real master processes and measure how fast writes are
/// acknowledged: they run alone, not beside other classes competing for the two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DurabilityCollection
{
    public const string Name = "Durability (real master processes, restarts, kill -9)";
}

/// <summary>
/// A master process plus a client of our own with a short timeout, so that no call of a test can
/// hang for long (the fixture's HttpClient waits 30 s).
/// </summary>
internal sealed class LiveMaster : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;

    private LiveMaster(MasterProcess process)
    {
        Process = process;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = process.BaseAddress,
            Timeout = CallTimeout,
        };
        Rest = new RestClient(_http);
    }

    public MasterProcess Process { get; }
    public RestClient Rest { get; }

    public static async Task<LiveMaster> StartAsync(string dataDir) =>
        new(await MasterProcess.StartAsync(dataDir));

    /// <summary>The last lines the master printed, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        var all = Process.Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync();
    }
}

/// <summary>Semantic JSON comparison and the few readers the durability tests share.</summary>
internal static class JsonKit
{
    /// <summary>
    /// A canonical text of a JSON value: object members sorted by name, numbers normalised
    /// (1 and 1.0 are the same), array order kept. Two bodies are "the same" when these match.
    /// </summary>
    public static string Canonical(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                return;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonSerializer.Serialize(name)).Append(':');
                    Write(value, sb);
                }
                sb.Append('}');
                return;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(array[i], sb);
                }
                sb.Append(']');
                return;
            default:
                var raw = node.ToJsonString();
                if (node.GetValueKind() == JsonValueKind.Number)
                {
                    sb.Append(decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                        ? d.ToString("G29", CultureInfo.InvariantCulture)
                        : double.Parse(raw, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(raw);
                }
                return;
        }
    }

    /// <summary>A deep copy of an object without the named top-level members.</summary>
    public static JsonObject Without(JsonNode node, params string[] names)
    {
        var copy = (JsonObject)node.DeepClone();
        foreach (var name in names) copy.Remove(name);
        return copy;
    }

    public static void AssertSame(JsonNode? expected, JsonNode? actual, string what)
    {
        var e = Canonical(expected);
        var a = Canonical(actual);
        Assert.True(e == a, $"{what} differs\nexpected: {e}\nactual:   {a}");
    }

    public static JsonNode ParseObject(RestReply reply, string what)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(reply.Body); }
        catch (JsonException e) { throw new Xunit.Sdk.XunitException($"{what}: body is not JSON ({e.Message}): {reply}"); }
        if (node is not JsonObject) throw new Xunit.Sdk.XunitException($"{what}: body is not a JSON object: {reply}");
        return node;
    }

    /// <summary>An integer member; absent means 0 (the API omits zero numbers).</summary>
    public static long Int(JsonNode? parent, string name)
    {
        var value = parent?[name];
        if (value is null) return 0;
        if (value.GetValueKind() != JsonValueKind.Number || !long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            throw new Xunit.Sdk.XunitException($"'{name}' is not an integer: {parent!.ToJsonString()}");
        return number;
    }

    /// <summary>A string member; absent means "" (the API omits empty strings).</summary>
    public static string Str(JsonNode? parent, string name)
    {
        var value = parent?[name];
        if (value is null) return "";
        if (value.GetValueKind() != JsonValueKind.String)
            throw new Xunit.Sdk.XunitException($"'{name}' is not a string: {parent!.ToJsonString()}");
        return value.GetValue<string>();
    }
}

/// <summary>What inspect says about a network's tags and addresses.</summary>
internal sealed record NetworkTags(string Key, string Encap, long PktTag, long ExternalPktTag, string Subnet, string Gateway)
{
    public bool IsVxlan => Encap == "vxlan";

    /// <summary>The VLAN id this network uses on a host's bridge: its tag (vlan) or its host-local VLAN (vxlan).</summary>
    public long HostVlan => PktTag;

    public static NetworkTags From(string key, JsonNode inspect)
    {
        var config = inspect["Config"];
        var oper = inspect["Oper"];
        return new NetworkTags(key, JsonKit.Str(config, "encap"), JsonKit.Int(oper, "pktTag"),
            JsonKit.Int(oper, "externalPktTag"), JsonKit.Str(config, "subnet"), JsonKit.Str(config, "gateway"));
    }
}

/// <summary>Reads the whole state back and checks the allocation invariants across all of it.</summary>
internal static class Invariants
{
    public static async Task<JsonArray> List(RestClient rest, string plural)
    {
        var reply = await rest.List(plural);
        Assert.True(reply.Status == HttpStatusCode.OK, $"list {plural}: {reply}");
        return JsonNode.Parse(reply.Body) as JsonArray
            ?? throw new Xunit.Sdk.XunitException($"list {plural} is not a JSON array: {reply}");
    }

    public static async Task<JsonNode> Inspect(RestClient rest, string plural, string key)
    {
        var reply = await rest.Inspect(plural, key);
        Assert.True(reply.Status == HttpStatusCode.OK, $"inspect {plural}/{key}: {reply}");
        var node = JsonKit.ParseObject(reply, $"inspect {plural}/{key}");
        Assert.True(node["Config"] is JsonObject, $"inspect {plural}/{key} has no Config object: {reply.Body}");
        return node;
    }

    /// <summary>Every network with the tags inspect reports.</summary>
    public static async Task<List<NetworkTags>> AllNetworks(RestClient rest)
    {
        var result = new List<NetworkTags>();
        foreach (var item in await List(rest, "networks"))
        {
            var key = JsonKit.Str(item, "key");
            Assert.False(string.IsNullOrEmpty(key), $"a listed network has no key: {item?.ToJsonString()}");
            result.Add(NetworkTags.From(key, await Inspect(rest, "networks", key)));
        }
        return result;
    }

    /// <summary>
    /// Tags are never owned twice: VLANs are distinct among vlan networks, host-local VLANs among
    /// vxlan networks (a separate space, as in the original), VNIs among vxlan networks.
    /// Every network has its tags.
    /// </summary>
    public static void AssertTagsComplete(IReadOnlyCollection<NetworkTags> networks)
    {
        foreach (var n in networks)
        {
            Assert.True(n.Encap is "vlan" or "vxlan", $"{n.Key}: encap '{n.Encap}'");
            Assert.True(n.PktTag > 0, $"{n.Key}: no pktTag in inspect Oper: {n}");
            if (n.IsVxlan) Assert.True(n.ExternalPktTag > 0, $"{n.Key}: vxlan network without a VNI (externalPktTag): {n}");
        }

        var hostVlans = networks.GroupBy(n => (n.IsVxlan, n.HostVlan)).Where(g => g.Count() > 1).ToList();
        Assert.True(hostVlans.Count == 0, "VLAN ids owned twice (vlan pktTag among vlan networks, host-local VLAN among vxlan networks): " +
            string.Join("; ", hostVlans.Select(g => $"{g.Key}: {string.Join(", ", g.Select(n => n.Key))}")));

        var vnis = networks.Where(n => n.IsVxlan).GroupBy(n => n.ExternalPktTag).Where(g => g.Count() > 1).ToList();
        Assert.True(vnis.Count == 0, "VNIs owned twice: " +
            string.Join("; ", vnis.Select(g => $"{g.Key}: {string.Join(", ", g.Select(n => n.Key))}")));
    }

    /// <summary>A service LB with the VIP inspect reports and its network key.</summary>
    public sealed record ServiceVip(string Key, string NetworkKey, string Vip);

    public static async Task<List<ServiceVip>> AllServiceVips(RestClient rest)
    {
        var result = new List<ServiceVip>();
        foreach (var item in await List(rest, "serviceLBs"))
        {
            var key = JsonKit.Str(item, "key");
            var inspect = await Inspect(rest, "serviceLBs", key);
            var config = inspect["Config"];
            result.Add(new ServiceVip(key, $"{JsonKit.Str(config, "tenantName")}:{JsonKit.Str(config, "networkName")}",
                JsonKit.Str(inspect["Oper"], "serviceVip")));
        }
        return result;
    }

    /// <summary>
    /// Every service LB has a VIP inside its (existing) network's subnet, never the gateway, and
    /// no two service LBs of a network share a VIP.
    /// </summary>
    public static void AssertVipsComplete(IReadOnlyCollection<ServiceVip> services, IReadOnlyCollection<NetworkTags> networks)
    {
        var byKey = networks.ToDictionary(n => n.Key);
        foreach (var s in services)
        {
            Assert.True(byKey.TryGetValue(s.NetworkKey, out var network), $"service LB {s.Key} on missing network {s.NetworkKey}");
            Assert.True(IPAddress.TryParse(s.Vip, out var vip), $"service LB {s.Key}: serviceVip '{s.Vip}' is not an address");
            Assert.True(InSubnet(vip!, network!.Subnet), $"service LB {s.Key}: VIP {s.Vip} outside {network.Subnet}");
            Assert.NotEqual(network.Gateway, s.Vip);
        }

        var duplicates = services.GroupBy(s => (s.NetworkKey, s.Vip)).Where(g => g.Count() > 1).ToList();
        Assert.True(duplicates.Count == 0, "VIPs handed out twice: " +
            string.Join("; ", duplicates.Select(g => $"{g.Key.NetworkKey} {g.Key.Vip}: {string.Join(", ", g.Select(s => s.Key))}")));
    }

    /// <summary>Inside a subnet "a.b.c.d/len" (or the range form "a.b.c.d-a.b.c.e/len", by its prefix).</summary>
    public static bool InSubnet(IPAddress address, string subnet)
    {
        var slash = subnet.IndexOf('/');
        if (slash < 0) return false;
        var dash = subnet.IndexOf('-');
        var ip = dash > 0 && dash < slash ? subnet[..dash] : subnet[..slash];
        var length = int.Parse(subnet[(slash + 1)..], CultureInfo.InvariantCulture);
        return IPNetwork.Parse(Normalise(ip, length)).Contains(address);
    }

    // IPNetwork.Parse refuses a prefix with host bits set (10.1.2.3/16): clear them first.
    private static string Normalise(string ip, int length)
    {
        var bytes = IPAddress.Parse(ip).GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
        value &= mask;
        return $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}/{length}";
    }
}
