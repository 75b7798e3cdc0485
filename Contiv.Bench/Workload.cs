using System.Text;

namespace Contiv.Bench;

// Group and Tenant are written by `masters` only; `rest` creates networks, policies and rules (the original's figures).
public enum OpKind { Network, Policy, Rule, Group, Tenant }

/// <summary>One REST call of the workload: a netctl-style POST (create-or-update) of one object.</summary>
public sealed record Operation(OpKind Kind, string Path, byte[] Body)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} POST {Path} {Encoding.UTF8.GetString(Body)}";
}

/// <summary>How much work one scenario does.</summary>
public sealed record WorkloadShape(int Networks, int Policies, int RulesPerPolicy)
{
    public int Rules => Policies * RulesPerPolicy;
    public int TotalRequests => Networks + Policies + Rules;

    public int Count(OpKind kind) => kind switch
    {
        OpKind.Network => Networks,
        OpKind.Policy => Policies,
        OpKind.Rule => Rules,
        _ => 0,
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
