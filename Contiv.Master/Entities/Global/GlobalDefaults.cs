using Contiv.Messages.Model;

namespace Contiv.Master.Entities.Global;

/// <summary>What <c>global</c> holds on a master's first start (the original's defaults).</summary>
public static class GlobalDefaults
{
    public const string Name = "global";
    public const string DefaultTenant = "default";
    public const int DefaultTenantId = 1;

    public static GlobalConfig Config(string fwdMode) => new()
    {
        Name = Name,
        NetworkInfraType = "default",
        Vlans = "1-4094",
        Vxlans = "1-10000",
        FwdMode = fwdMode,
        ArpMode = "proxy",
        PvtSubnet = "172.19.0.0/16",
    };
}
