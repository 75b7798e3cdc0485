using System.Text;

namespace Contiv.Bench;

public enum OpKind { Network, Policy, Rule }

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
        _ => Rules,
    };
}

/// <summary>
/// The benchmark's objects, exactly as netctl would create them in tenant "default":
/// net&lt;i&gt; (vxlan, 10.&lt;i/256&gt;.&lt;i%256&gt;.0/24), pol&lt;i&gt;, and rules r&lt;j&gt; of each policy.
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
        _ => 3.6,
    };

    public const double SpeedupGoal = 10.0;

    public static Operation Network(int i) => new(
        OpKind.Network,
        $"/api/v1/networks/{Tenant}:net{i}/",
        Utf8($"{{\"tenantName\":\"{Tenant}\",\"networkName\":\"net{i}\",\"encap\":\"vxlan\"," +
             $"\"subnet\":\"10.{i / 256}.{i % 256}.0/24\",\"gateway\":\"10.{i / 256}.{i % 256}.1\"}}"));

    public static Operation Policy(int i) => new(
        OpKind.Policy,
        $"/api/v1/policys/{Tenant}:pol{i}/",
        Utf8($"{{\"tenantName\":\"{Tenant}\",\"policyName\":\"pol{i}\"}}"));

    public static Operation Rule(int i, int j) => new(
        OpKind.Rule,
        $"/api/v1/rules/{Tenant}:pol{i}:r{j}/",
        Utf8($"{{\"tenantName\":\"{Tenant}\",\"policyName\":\"pol{i}\",\"ruleId\":\"r{j}\",\"direction\":\"in\"," +
             $"\"priority\":{j + 1},\"protocol\":\"tcp\",\"port\":{8000 + j},\"action\":\"allow\"}}"));

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
