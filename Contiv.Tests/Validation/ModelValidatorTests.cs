using System.Collections.Immutable;
using Contiv.Messages.Model;
using Contiv.Messages.Validation;
using Xunit;

namespace Contiv.Tests.Validation;

public class ModelValidatorTests
{
    private static readonly TenantConfig Tenant = new() { TenantName = "t1" };

    private static readonly NetworkConfig Network = new()
    {
        TenantName = "t1", NetworkName = "n1", Encap = "vxlan", Subnet = "10.1.1.0/24", Gateway = "10.1.1.1",
    };

    private static readonly EndpointGroupConfig Group = new()
    {
        TenantName = "t1", GroupName = "g1", NetworkName = "n1", Policies = ["p1"], NetProfile = "prof1",
    };

    private static readonly RuleConfig Rule = new()
    {
        TenantName = "t1", PolicyName = "p1", RuleId = "1", Direction = "in", Priority = 10,
        Protocol = "tcp", Port = 80, Action = "allow",
    };

    private static readonly GlobalConfig Global = new()
    {
        Name = "global", NetworkInfraType = "default", Vlans = "1-4094", Vxlans = "1-10000",
        FwdMode = "bridge", ArpMode = "proxy", PvtSubnet = "172.19.0.0/16",
    };

    private static readonly NetProfileConfig Profile = new()
    {
        TenantName = "t1", ProfileName = "prof1", Bandwidth = "10 gbps", Dscp = 10, Burst = 100,
    };

    private static readonly ServiceLbConfig ServiceLb = new()
    {
        TenantName = "t1", ServiceName = "svc1", NetworkName = "n1", IpAddress = "10.1.1.50",
        Selectors = ["app=web"], Ports = ["80:8080:TCP"],
    };

    private static readonly BgpConfig Bgp = new()
    {
        Hostname = "host1", RouterIp = "50.1.1.2/24", As = "65002", NeighborAs = "500", Neighbor = "50.1.1.1",
    };

    private static ValidationError? Check(IConfigObject obj) => ModelValidator.Validate(ModelDefaults.Normalize(obj));

    private static void Valid(IConfigObject obj)
    {
        var error = Check(obj);
        Assert.True(error is null, $"expected valid, got: {error}");
    }

    private static void Invalid(IConfigObject obj, string field, string? message = null)
    {
        var error = Check(obj);
        Assert.NotNull(error);
        Assert.Equal(field, error.Field);
        if (message is not null) Assert.Equal(message, error.Message);
    }

    public static TheoryData<IConfigObject> ValidObjects() => new()
    {
        Tenant, Network, Group, new PolicyConfig { TenantName = "t1", PolicyName = "p1" }, Rule, Global, Profile,
        new AppProfileConfig { TenantName = "t1", AppProfileName = "a1", EndpointGroups = ["g1", "g2"] },
        new ExtContractsGroupConfig { TenantName = "t1", ContractsGroupName = "c1", ContractsType = "provided", Contracts = ["uni/tn-common/brc-default"] },
        ServiceLb, Bgp,
    };

    [Theory]
    [MemberData(nameof(ValidObjects))]
    public void Baseline_objects_are_valid(IConfigObject obj) => Valid(obj);

    [Fact]
    public void Every_kind_has_rules_and_every_key_field_has_a_rule()
    {
        foreach (var kind in ObjectKinds.All)
        {
            Assert.NotEmpty(FieldRules.For(kind));
            foreach (var key in kind.KeyFields())
                Assert.NotNull(FieldRules.KeyRule(kind, key).Format);
        }
    }

    // --- names ---

    [Theory]
    [InlineData("tenant:invalid")]
    [InlineData("tenant|invalid")]
    [InlineData("tenant\\invalid")]
    [InlineData("tenant#invalid")]
    [InlineData("-tenant")]
    [InlineData("tenant-")]
    [InlineData("tenant@invalid")]
    [InlineData("tenant!invalid")]
    [InlineData("tenant~invalid")]
    [InlineData("tenant*invalid")]
    [InlineData("tenant^invalid")]
    [InlineData("tenant/invalid")]
    [InlineData("tenant invalid")]
    [InlineData("a..b")]
    [InlineData("a.")]
    [InlineData("tenant\n")]
    [InlineData("ténant")]
    public void Bad_names_are_refused(string name)
    {
        Invalid(Tenant with { TenantName = name }, "tenantName", "tenantName string invalid format");
        Invalid(Network with { NetworkName = name }, "networkName", "networkName string invalid format");
        Invalid(Group with { GroupName = name }, "groupName");
        Invalid(new PolicyConfig { TenantName = "t1", PolicyName = name }, "policyName");
        Invalid(Rule with { RuleId = name }, "ruleId");
        Invalid(Profile with { ProfileName = name }, "profileName", "profileName string invalid format");
        Invalid(Group with { NetProfile = name }, "netProfile");
        Invalid(Group with { Policies = ["p1", name] }, "policies", "policies string invalid format");
        Invalid(new AppProfileConfig { TenantName = "t1", AppProfileName = "a1", EndpointGroups = [name] }, "endpointGroups");
        Invalid(ServiceLb with { ServiceName = name }, "serviceName");
        Invalid(Bgp with { Hostname = name }, "hostname");
    }

    [Theory]
    [InlineData("tenant-valid")]
    [InlineData("a.b-c")]
    [InlineData("x1")]
    [InlineData("A")]
    [InlineData("1.2.3")]
    [InlineData("default")]
    public void Good_names_are_accepted(string name)
    {
        Valid(Tenant with { TenantName = name });
        Valid(Network with { TenantName = name, NetworkName = name });
        Valid(Group with { GroupName = name, Policies = [name], NetProfile = name });
        Valid(Rule with { PolicyName = name, RuleId = name, FromEndpointGroup = name });
        Valid(Profile with { ProfileName = name });
        Valid(Bgp with { Hostname = name });
    }

    [Fact]
    public void Names_are_limited_to_64_bytes()
    {
        Valid(Tenant with { TenantName = new string('a', 64) });
        Invalid(Tenant with { TenantName = new string('a', 65) }, "tenantName", "tenantName string too long");
        Invalid(Network with { NetworkName = new string('n', 65) }, "networkName", "networkName string too long");
        Invalid(Profile with { ProfileName = new string('p', 65) }, "profileName", "profileName string too long");
        Invalid(Group with { Policies = [new string('p', 65)] }, "policies", "policies string too long");
        Valid(ServiceLb with { ServiceName = new string('s', 256) });
        Invalid(ServiceLb with { ServiceName = new string('s', 257) }, "serviceName", "serviceName string too long");
    }

    [Fact]
    public void Length_counts_utf8_bytes()
    {
        // 32 two-byte characters are 64 bytes, 33 are 66: the length check fires before the format check.
        Invalid(Tenant with { TenantName = new string('é', 32) }, "tenantName", "tenantName string invalid format");
        Invalid(Tenant with { TenantName = new string('é', 33) }, "tenantName", "tenantName string too long");
    }

    [Fact]
    public void Key_fields_are_required()
    {
        Invalid(new TenantConfig(), "tenantName", "tenantName is required");
        Invalid(Tenant with { TenantName = "" }, "tenantName", "tenantName is required");
        Invalid(Network with { NetworkName = null }, "networkName", "networkName is required");
        Invalid(Network with { TenantName = "", NetworkName = "" }, "tenantName");
        Invalid(Rule with { PolicyName = "" }, "policyName", "policyName is required");
        Invalid(Rule with { RuleId = null }, "ruleId", "ruleId is required");
        Invalid(Global with { Name = null }, "name", "name is required");
        Invalid(Profile with { TenantName = null }, "tenantName");
        Invalid(Bgp with { Hostname = "" }, "hostname", "hostname is required");
    }

    [Fact]
    public void Global_name_must_be_global()
    {
        Invalid(Global with { Name = "foo" }, "name", "name string invalid format");
        Invalid(Global with { Name = "Global" }, "name");
    }

    [Fact]
    public void Errors_come_in_the_original_order()
    {
        // Fields are checked in JSON-name order after the required key fields.
        Invalid(Network with { Subnet = "x", Encap = "x" }, "encap");
        Invalid(Rule with { Action = "x", Direction = "x" }, "action");
        Invalid(Profile with { Dscp = 64, Bandwidth = "x" }, "DSCP");
    }

    // --- network ---

    [Theory]
    [InlineData("10.1.1.0/24")]
    [InlineData("20.1.1.10-20.1.1.45/24")]
    [InlineData("0.0.0.0/1")]
    [InlineData("255.255.255.255/31")]
    public void Good_subnets(string subnet) => Valid(Network with { Subnet = subnet, Gateway = null });

    [Theory]
    [InlineData("10.1.1.0/32")]
    [InlineData("10.1.1.0/0")]
    [InlineData("10.1.1.0")]
    [InlineData("300.1.1.0/24")]
    [InlineData("10.1.1/24")]
    [InlineData("010.1.1.0/24")]
    [InlineData("10.1.1.0/24\n")]
    [InlineData("20.1.1.10-45/24")]
    public void Bad_subnets(string subnet) =>
        Invalid(Network with { Subnet = subnet }, "subnet", "subnet string invalid format");

    [Theory]
    [InlineData("10.1.1.0/24")]
    [InlineData("10.1.1")]
    [InlineData("256.1.1.1")]
    [InlineData("10.1.1.1-10.1.1.2")]
    public void Bad_gateways(string gateway) => Invalid(Network with { Gateway = gateway }, "gateway");

    [Theory]
    [InlineData("2016:0617::/120")]
    [InlineData("::/64")]
    [InlineData("ffff:ffff:ffff::/48")]
    [InlineData("1:2:3:4:5:6:7:8/127")]
    public void Good_ipv6_subnets(string subnet) => Valid(Network with { Ipv6Subnet = subnet });

    [Theory]
    [InlineData("2016:0617::")]
    [InlineData("2016:0617::/128")]
    [InlineData("2016:0617::/0")]
    [InlineData("gggg::/64")]
    [InlineData("12345::/64")]
    [InlineData("10.1.1.0/24")]
    public void Bad_ipv6_subnets(string subnet) => Invalid(Network with { Ipv6Subnet = subnet }, "ipv6Subnet");

    [Fact]
    public void Ipv6_gateway_and_other_network_fields()
    {
        Valid(Network with { Ipv6Subnet = "2016:0617::/120", Ipv6Gateway = "2016:0617::1" });
        Invalid(Network with { Ipv6Gateway = "2016:0617::/120" }, "ipv6Gateway");
        Invalid(Network with { Encap = "gre" }, "encap", "encap string invalid format");
        Valid(Network with { Encap = "vlan", PktTag = 100 });
        Valid(Network with { NwType = "infra" });
        Invalid(Network with { NwType = "xyz" }, "nwType");
        Valid(Network with { PktTag = 16777216 });
        Invalid(Network with { PktTag = 16777217 }, "pktTag", "pktTag Value Out of bound");
        Invalid(Network with { PktTag = -1 }, "pktTag", "pktTag Value Out of bound");
        Valid(Network with { CfgdTag = "tag.1" });
        Invalid(Network with { CfgdTag = "tag_1" }, "cfgdTag");
        Invalid(Network with { CfgdTag = new string('a', 129) }, "cfgdTag", "cfgdTag string too long");
    }

    // --- endpoint group ---

    [Theory]
    [InlineData("10.1.1.10-10.1.1.20", true)]
    [InlineData("10.1.1.10", true)]
    [InlineData("10.1.1.10-20", false)]
    [InlineData("10.1.1.0/24", false)]
    public void Group_ip_pool(string pool, bool ok)
    {
        if (ok) Valid(Group with { IpPool = pool });
        else Invalid(Group with { IpPool = pool }, "ipPool");
    }

    [Fact]
    public void Group_list_elements_must_not_be_empty()
    {
        Invalid(Group with { Policies = [""] }, "policies", "policies string invalid format");
        Invalid(Group with { ExtContractsGrps = ["c1", ""] }, "extContractsGrps");
        Valid(Group with { ExtContractsGrps = ["c1"] });
        Invalid(Group with { NetProfile = new string('p', 65) }, "netProfile", "netProfile string too long");
    }

    // --- rule ---

    [Theory]
    [InlineData("in")]
    [InlineData("out")]
    public void Good_directions(string direction) => Valid(Rule with { Direction = direction });

    [Theory]
    [InlineData("both")]
    [InlineData("xyz")]
    [InlineData("IN")]
    public void Bad_directions(string direction) =>
        Invalid(Rule with { Direction = direction }, "direction", "direction string invalid format");

    [Theory]
    [InlineData("accept")]
    [InlineData("Allow")]
    public void Bad_actions(string action) => Invalid(Rule with { Action = action }, "action");

    [Theory]
    [InlineData("deny")]
    [InlineData("allow")]
    public void Good_actions(string action) => Valid(Rule with { Action = action });

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    [InlineData("icmp")]
    [InlineData("6")]
    [InlineData("255")]
    [InlineData("")]
    [InlineData(null)]
    public void Good_protocols(string? protocol) => Valid(Rule with { Protocol = protocol });

    [Theory]
    [InlineData("tcpx")]
    [InlineData("1234")]
    [InlineData("TCP")]
    public void Bad_protocols(string protocol) =>
        Invalid(Rule with { Protocol = protocol }, "protocol", "protocol string invalid format");

    [Theory]
    [InlineData(101)]
    [InlineData(-1)]
    public void Bad_priorities(int priority) =>
        Invalid(Rule with { Priority = priority }, "priority", "priority Value Out of bound");

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void Good_priorities(int priority) => Valid(Rule with { Priority = priority });

    [Fact]
    public void Priority_zero_is_refused_and_an_absent_priority_defaults_to_one()
    {
        var zero = Rule with { Priority = 0 };
        Assert.Equal("priority", ModelValidator.Validate(ModelDefaults.Normalize(zero))?.Field);
        var absent = ModelDefaults.Normalize(Rule with { Priority = null });
        Assert.Equal(1, absent.Priority);
        Assert.Null(ModelValidator.Validate(absent));
    }

    [Fact]
    public void Rule_ports()
    {
        Valid(Rule with { Port = 0 });
        Valid(Rule with { Port = 65535 });
        Invalid(Rule with { Port = 65536 }, "port", "port Value Out of bound");
        Invalid(Rule with { Port = -1 }, "port");
    }

    [Fact]
    public void Rule_references_and_addresses()
    {
        Valid(Rule with { FromEndpointGroup = "g1", FromNetwork = "n1", FromIpAddress = "10.1.1.0/24" });
        Valid(Rule with { Direction = "out", ToEndpointGroup = "g1", ToNetwork = "n1", ToIpAddress = "10.1.1.5" });
        Valid(Rule with { FromIpAddress = "10.1.1.1-10/24" });
        Invalid(Rule with { FromEndpointGroup = "g:1" }, "fromEndpointGroup");
        Invalid(Rule with { ToNetwork = "n/1" }, "toNetwork");
        Invalid(Rule with { FromIpAddress = "10.1.1.0/32" }, "fromIpAddress");
        Invalid(Rule with { ToIpAddress = "10.1.1.1-10.1.1.5" }, "toIpAddress");
        Invalid(Rule with { FromNetwork = new string('n', 65) }, "fromNetwork", "fromNetwork string too long");
    }

    // --- global ---

    [Theory]
    [InlineData("1-4094")]
    [InlineData("100-200")]
    [InlineData("0-0")]
    public void Good_vlans(string vlans) => Valid(Global with { Vlans = vlans });

    [Theory]
    [InlineData("abcd")]
    [InlineData("1")]
    [InlineData("1?2")]
    [InlineData("1-40944")]
    [InlineData("1-")]
    [InlineData("1-4094,5")]
    public void Bad_vlans(string vlans) => Invalid(Global with { Vlans = vlans }, "vlans", "vlans string invalid format");

    [Theory]
    [InlineData("1-10000", true)]
    [InlineData("1-16777215", true)]
    [InlineData("1-123456789", false)]
    [InlineData("abcd", false)]
    [InlineData("1", false)]
    [InlineData("1?2", false)]
    public void Vxlans(string vxlans, bool ok)
    {
        if (ok) Valid(Global with { Vxlans = vxlans });
        else Invalid(Global with { Vxlans = vxlans }, "vxlans", "vxlans string invalid format");
    }

    [Theory]
    [InlineData("172.19.0.0/16", true)]
    [InlineData("10.0.0.0/16", true)]
    [InlineData("172.21.0.0/24", false)]
    [InlineData("172.21.0.0", false)]
    [InlineData("172.321.0.0/16", false)]
    public void Pvt_subnet(string subnet, bool ok)
    {
        if (ok) Valid(Global with { PvtSubnet = subnet });
        else Invalid(Global with { PvtSubnet = subnet }, "pvtSubnet", "pvtSubnet string invalid format");
    }

    [Theory]
    [InlineData("default")]
    [InlineData("aci")]
    [InlineData("aci-opflex")]
    [InlineData("")]
    public void Good_network_infra_types(string type) => Valid(Global with { NetworkInfraType = type });

    [Theory]
    [InlineData("xyz")]
    [InlineData("aci-")]
    [InlineData("ACI")]
    public void Bad_network_infra_types(string type) =>
        Invalid(Global with { NetworkInfraType = type }, "networkInfraType");

    [Theory]
    [InlineData("bridge", true)]
    [InlineData("routing", true)]
    [InlineData("", true)]
    [InlineData("route", false)]
    [InlineData("bridging", false)]
    public void Fwd_mode(string mode, bool ok)
    {
        if (ok) Valid(Global with { FwdMode = mode });
        else Invalid(Global with { FwdMode = mode }, "fwdMode", "fwdMode string invalid format");
    }

    [Theory]
    [InlineData("proxy", true)]
    [InlineData("flood", true)]
    [InlineData("", true)]
    [InlineData("broadcast", false)]
    public void Arp_mode(string mode, bool ok)
    {
        if (ok) Valid(Global with { ArpMode = mode });
        else Invalid(Global with { ArpMode = mode }, "arpMode", "arpMode string invalid format");
    }

    // --- netprofile ---

    [Theory]
    [InlineData("10 gbps")]
    [InlineData("10gbps")]
    [InlineData("10 mbps")]
    [InlineData("10 kbps")]
    [InlineData("10 Mb")]
    [InlineData("10M")]
    [InlineData("1 G")]
    [InlineData("100kb")]
    [InlineData("10 1bps")] // the original's class [kmgKMG{1}] also admits '1', '{' and '}'
    public void Good_bandwidths(string bandwidth) => Valid(Profile with { Bandwidth = bandwidth });

    [Theory]
    [InlineData("10 xbps")]
    [InlineData("abc")]
    [InlineData("0 gbps")]
    [InlineData("10")]
    [InlineData("10  gbps")]
    [InlineData("10 MB")]
    [InlineData("10 gbps\n")]
    public void Bad_bandwidths(string bandwidth) =>
        Invalid(Profile with { Bandwidth = bandwidth }, "bandwidth", "bandwidth string invalid format");

    [Fact]
    public void Netprofile_dscp_and_burst()
    {
        Valid(Profile with { Dscp = 0 });
        Valid(Profile with { Dscp = 63 });
        Invalid(Profile with { Dscp = 64 }, "DSCP", "DSCP Value Out of bound");
        Invalid(Profile with { Dscp = -1 }, "DSCP");
        Valid(Profile with { Burst = 10486 });
        Invalid(Profile with { Burst = 10487 }, "burst", "burst Value Out of bound");
        Invalid(Profile with { Burst = -1 }, "burst");
        Invalid(Profile with { Bandwidth = "1" + new string('0', 63) + "M" }, "bandwidth", "bandwidth string too long");
    }

    // --- service LB ---

    [Theory]
    [InlineData("10.1.1.50", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("10.1.1.256", false)]
    [InlineData("10.1.1.0/24", false)]
    [InlineData("10.1.1", false)]
    public void Service_lb_ip_address(string ip, bool ok)
    {
        if (ok) Valid(ServiceLb with { IpAddress = ip });
        else Invalid(ServiceLb with { IpAddress = ip }, "ipAddress", "ipAddress string invalid format");
    }

    [Fact]
    public void Service_lb_lists()
    {
        Invalid(ServiceLb with { IpAddress = "010.001.001.001" }, "ipAddress");
        Invalid(ServiceLb with { IpAddress = "100.100.100.1000" }, "ipAddress", "ipAddress string too long");
        Invalid(ServiceLb with { Selectors = ["app=web", ""] }, "selectors", "selectors string invalid format");
        Invalid(ServiceLb with { Ports = [""] }, "ports");
        Invalid(ServiceLb with { Ports = [new string('8', 33)] }, "ports", "ports string too long");
    }

    // --- Bgp ---

    [Theory]
    [InlineData("50.1.1.2/24", true)]
    [InlineData("50.1.1.2-5/24", true)]
    [InlineData("50.1.1.2", false)]
    [InlineData("50.1.1.2/32", false)]
    [InlineData("50.1.1/24", false)]
    public void Bgp_router_ip(string ip, bool ok)
    {
        if (ok) Valid(Bgp with { RouterIp = ip });
        else Invalid(Bgp with { RouterIp = ip }, "routerip", "routerip string invalid format");
    }

    [Theory]
    [InlineData("50.1.1.1", true)]
    [InlineData("50.1.1.1/24", false)]
    [InlineData("50.1.1.300", false)]
    [InlineData("host1", false)]
    public void Bgp_neighbor(string neighbor, bool ok)
    {
        if (ok) Valid(Bgp with { Neighbor = neighbor });
        else Invalid(Bgp with { Neighbor = neighbor }, "neighbor");
    }

    [Fact]
    public void Bgp_as_lengths()
    {
        Invalid(Bgp with { As = new string('1', 65) }, "as", "as string too long");
        Invalid(Bgp with { NeighborAs = new string('1', 65) }, "neighbor-as", "neighbor-as string too long");
        Invalid(Bgp with { Neighbor = "1111.1111.1111.1" }, "neighbor", "neighbor string too long");
    }

    // --- normalization ---

    [Fact]
    public void Normalize_turns_empty_into_null_and_applies_defaults()
    {
        var network = ModelDefaults.Normalize(Network with { NwType = "", Gateway = "", CfgdTag = "" });
        Assert.Equal("data", network.NwType);
        Assert.Null(network.Gateway);
        Assert.Null(network.CfgdTag);
        Assert.Equal("infra", ModelDefaults.Normalize(Network with { NwType = "infra" }).NwType);

        var group = ModelDefaults.Normalize(Group with { Policies = ImmutableArray<string>.Empty, ExtContractsGrps = default(ImmutableArray<string>), NetProfile = "" });
        Assert.Null(group.Policies);
        Assert.Null(group.ExtContractsGrps);
        Assert.Null(group.NetProfile);

        var rule = ModelDefaults.Normalize(Rule with { Priority = null, Protocol = "" });
        Assert.Equal(1, rule.Priority);
        Assert.Null(rule.Protocol);
        Assert.Equal(7, ModelDefaults.Normalize(Rule with { Priority = 7 }).Priority);

        var global = ModelDefaults.Normalize(new GlobalConfig { Name = "global", FwdMode = "" });
        Assert.Null(global.FwdMode);
        Assert.Null(global.Vlans);

        Assert.Equal(0, ModelDefaults.Normalize(Profile with { Dscp = 0 }).Dscp);
    }

    [Fact]
    public void Normalize_keeps_the_static_type_and_leaves_valid_values_alone()
    {
        IConfigObject obj = ServiceLb;
        var normalized = ModelDefaults.Normalize(obj);
        Assert.IsType<ServiceLbConfig>(normalized);
        Assert.Equal(ServiceLb.IpAddress, ((ServiceLbConfig)normalized).IpAddress);
        Assert.Equal(Bgp, ModelDefaults.Normalize(Bgp));
        Assert.Equal(Tenant, ModelDefaults.Normalize(Tenant));
    }

    [Fact]
    public void Long_inputs_are_checked_quickly()
    {
        // The name regex nests quantifiers; a backtracking engine would blow up on this near-miss.
        var nearMiss = string.Concat(Enumerable.Repeat("a-", 5000)) + "!";
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.DoesNotMatch(Formats.Name, nearMiss);
        Assert.DoesNotMatch(Formats.Ipv6Subnet, string.Concat(Enumerable.Repeat("a:", 5000)) + "/");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1));
    }
}
