using System.Text;

namespace Contiv.Bench;

// Group and Tenant are written by `masters` only; `rest` creates networks, policies and rules (the original's figures).
public enum OpKind { Network, Policy, Rule, Group, Tenant }

/// <summary>One REST call of the workload: a netctl-style POST (create-or-update) of one object.</summary>
public sealed record Operation(OpKind Kind, string Path, byte[] Body)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} POST {Path} {Encoding.UTF8.GetString(Body)}";
}

/// <summary>
/// What `rest` reads after the writes. Separate from <see cref="OpKind"/>, which names what is written
/// (and which `masters` shares): a read has no body and its own original figures.
/// </summary>
public enum ReadKind { NetworkList, PolicyList, RuleList, EmptyList, NetworkGet, NetworkInspect, PolicyInspect, TenantInspect }

/// <summary>One GET of the reads phase.</summary>
public sealed record ReadOperation(ReadKind Kind, string Path)
{
    public string Name => Workload.Name(Kind);

    /// <summary>A list reply is a JSON array whose length the benchmark checks; the other replies are single objects.</summary>
    public bool IsList => Kind is ReadKind.NetworkList or ReadKind.PolicyList or ReadKind.RuleList or ReadKind.EmptyList;

    public override string ToString() => $"{Name} GET {Path}";
}

/// <summary>
/// How much work one scenario does: <see cref="Tenants"/> - 1 extra tenants with one network each
/// (set-up, not measured), the writes, then <see cref="Reads"/> repetitions of every <see cref="ReadKind"/>.
/// </summary>
public sealed record WorkloadShape(int Networks, int Policies, int RulesPerPolicy, int Tenants = 1, int Reads = 0)
{
    public int Rules => Policies * RulesPerPolicy;

    /// <summary>Tenants besides "default" (t1..t(T-1)), each created with one network.</summary>
    public int ExtraTenants => Tenants - 1;

    public int SetupRequests => 2 * ExtraTenants;
    public int WriteRequests => Networks + Policies + Rules;
    public int ReadRequests => Reads * Enum.GetValues<ReadKind>().Length;

    /// <summary>Every request a scenario sends (what a new-connection-per-request scenario must open as connections).</summary>
    public int TotalRequests => SetupRequests + WriteRequests + ReadRequests;

    public int Count(OpKind kind) => kind switch
    {
        OpKind.Network => Networks,
        OpKind.Policy => Policies,
        OpKind.Rule => Rules,
        _ => 0,
    };

    /// <summary>How many items a list must hold once the writes are done (null for a read that is no list).</summary>
    public int? ExpectedItems(ReadKind kind) => kind switch
    {
        ReadKind.NetworkList => Networks + ExtraTenants, // the extra tenants' networks are listed too
        ReadKind.PolicyList => Policies,
        ReadKind.RuleList => Rules,
        ReadKind.EmptyList => 0,
        _ => null,
    };
}

/// <summary>
/// The benchmark's objects, exactly as netctl would create them (in tenant "default" unless told):
/// net&lt;i&gt; (vxlan, 10.&lt;i/256&gt;.&lt;i%256&gt;.0/24), pol&lt;i&gt;, rules r&lt;j&gt; of each policy,
/// and grp&lt;i&gt; on net&lt;i&gt; with pol&lt;i&gt;. Subnets depend on i alone, so i must be unique across tenants too.
/// </summary>
public static class Workload
{
    public const string Tenant = "default";
    public const int MaxNetworks = 65536; // 10.<0..255>.<0..255>.0/24

    /// <summary>The original netmaster + etcd: median ms per network, policy and rule.</summary>
    public static double OriginalMedianMs(OpKind kind) => kind switch
    {
        OpKind.Network => 17.1,
        OpKind.Policy => 6.8,
        OpKind.Rule => 3.6,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "the original has no figure for it"),
    };

    public const double SpeedupGoal = 10.0;

    /// <summary>
    /// The original netmaster: median ms per list, measured by our predecessor on this machine with
    /// 300 networks and 300 policies x 4 rules (no figure for a single GET or an inspect).
    /// </summary>
    public static double? OriginalMedianMs(ReadKind kind) => kind switch
    {
        ReadKind.NetworkList => 1.25,
        ReadKind.PolicyList => 2.5,
        ReadKind.RuleList => 4.5,
        _ => null,
    };

    public static string Name(ReadKind kind) => kind switch
    {
        ReadKind.NetworkList => "list networks",
        ReadKind.PolicyList => "list policys",
        ReadKind.RuleList => "list rules",
        // The workload creates no app profiles: the whole path of a list (REST, gateway, read model) with nothing
        // to send, the floor under every list figure.
        ReadKind.EmptyList => "list empty",
        ReadKind.NetworkGet => "get network",
        ReadKind.NetworkInspect => "inspect network",
        ReadKind.PolicyInspect => "inspect policy",
        ReadKind.TenantInspect => "inspect tenant",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>One repetition of the reads phase, one GET of each kind (net0 and pol0 must exist).</summary>
    public static IReadOnlyList<ReadOperation> Reads { get; } =
    [
        new(ReadKind.NetworkList, "/api/v1/networks/"),
        new(ReadKind.PolicyList, "/api/v1/policys/"),
        new(ReadKind.RuleList, "/api/v1/rules/"),
        new(ReadKind.EmptyList, "/api/v1/appProfiles/"),
        new(ReadKind.NetworkGet, $"/api/v1/networks/{Tenant}:net0/"),
        new(ReadKind.NetworkInspect, $"/api/v1/inspect/networks/{Tenant}:net0/"),
        new(ReadKind.PolicyInspect, $"/api/v1/inspect/policys/{Tenant}:pol0/"),
        new(ReadKind.TenantInspect, $"/api/v1/inspect/tenants/{Tenant}/"),
    ];

    /// <summary>Extra tenant k (1..T-1) of `--tenants T`.</summary>
    public static string ExtraTenant(int k) => $"t{k}";

    /// <summary>
    /// The network of extra tenant k: its index follows the main networks' (net0..net(N-1)), because the
    /// index alone picks the subnet and subnets must not collide across tenants.
    /// </summary>
    public static Operation ExtraTenantNetwork(WorkloadShape shape, int k) => Network(shape.Networks + k - 1, ExtraTenant(k));

    public static Operation Network(int i, string tenant = Tenant) => new(
        OpKind.Network,
        $"/api/v1/networks/{tenant}:net{i}/",
        Utf8($"{{\"tenantName\":\"{tenant}\",\"networkName\":\"net{i}\",\"encap\":\"vxlan\"," +
             $"\"subnet\":\"10.{i / 256}.{i % 256}.0/24\",\"gateway\":\"10.{i / 256}.{i % 256}.1\"}}"));

    public static Operation Policy(int i, string tenant = Tenant) => new(
        OpKind.Policy,
        $"/api/v1/policys/{tenant}:pol{i}/",
        Utf8($"{{\"tenantName\":\"{tenant}\",\"policyName\":\"pol{i}\"}}"));

    public static Operation Rule(int i, int j, string tenant = Tenant) => new(
        OpKind.Rule,
        $"/api/v1/rules/{tenant}:pol{i}:r{j}/",
        Utf8($"{{\"tenantName\":\"{tenant}\",\"policyName\":\"pol{i}\",\"ruleId\":\"r{j}\",\"direction\":\"in\"," +
             $"\"priority\":{j + 1},\"protocol\":\"tcp\",\"port\":{8000 + j},\"action\":\"allow\"}}"));

    public static Operation NewTenant(string tenant) => new(
        OpKind.Tenant,
        $"/api/v1/tenants/{tenant}/",
        Utf8($"{{\"tenantName\":\"{tenant}\"}}"));

    public static Operation Group(int i, string tenant = Tenant) => new(
        OpKind.Group,
        $"/api/v1/endpointGroups/{tenant}:grp{i}/",
        Utf8($"{{\"tenantName\":\"{tenant}\",\"groupName\":\"grp{i}\",\"networkName\":\"net{i}\",\"policies\":[\"pol{i}\"]}}"));

    /// <summary>Policy i followed by its rules, in the order they must be sent.</summary>
    public static Operation[] PolicyWithRules(int i, int rulesPerPolicy)
    {
        var ops = new Operation[1 + rulesPerPolicy];
        ops[0] = Policy(i);
        for (var j = 0; j < rulesPerPolicy; j++) ops[1 + j] = Rule(i, j);
        return ops;
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
