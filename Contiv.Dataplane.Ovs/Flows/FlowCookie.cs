namespace Contiv.Dataplane.Ovs.Flows;

/// <summary>What kind of object a flow exists for.</summary>
public enum OwnerKind : byte
{
    Pipeline = 1,
    Network = 2,
    LocalEndpoint = 3,
    RemoteEndpoint = 4,
    Group = 5,
    Rule = 6,
    Tunnel = 7,
}

/// <summary>
/// A flow cookie that names its owner: 8 bits of round (agent restarts use a new one), 8 bits of
/// owner kind, 48 bits of owner id (a stable hash or number of the object).
/// </summary>
public readonly record struct FlowCookie(byte Round, OwnerKind Kind, ulong OwnerId)
{
    public const ulong RoundMask = 0xFF00_0000_0000_0000UL;
    public const ulong OwnerIdMask = 0x0000_FFFF_FFFF_FFFFUL;

    public ulong Value => ((ulong)Round << 56) | ((ulong)Kind << 48) | (OwnerId & OwnerIdMask);

    public static FlowCookie From(ulong cookie) => new((byte)(cookie >> 56), (OwnerKind)(byte)(cookie >> 48), cookie & OwnerIdMask);

    /// <summary>A stable 48-bit id for an owner named by a string (FNV-1a; stable across processes).</summary>
    public static ulong IdOf(string owner)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(owner))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash & OwnerIdMask;
    }
}
