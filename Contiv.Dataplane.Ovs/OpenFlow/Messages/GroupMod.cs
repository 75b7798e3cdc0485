using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

/// <summary>OFPT_GROUP_MOD; buckets watch no port or group (ANY): all and select groups do not need them.</summary>
public sealed record GroupMod(GroupModCommand Command, GroupEntry Group) : OfpMessage
{
    public static GroupMod Add(GroupEntry group) => new(GroupModCommand.Add, group);
    public static GroupMod Modify(GroupEntry group) => new(GroupModCommand.Modify, group);
    public static GroupMod Delete(uint groupId) => new(GroupModCommand.Delete, new GroupEntry(groupId, GroupType.All, []));
}
