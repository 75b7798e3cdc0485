using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>
/// Groups as a group mod carries them and as a group desc reply reports them: the same
/// ofp_bucket list, behind an 8-byte header that differs (command+type+id vs length+type+id).
/// </summary>
public static class GroupCodec
{
    private const int BucketHeaderLength = 16;
    private const int GroupDescHeaderLength = 8;

    /// <summary>Buckets watch no port or group (ANY): all and select groups do not need them.</summary>
    public static void WriteBuckets(OfpWriter w, IEnumerable<Bucket> buckets)
    {
        foreach (var bucket in buckets)
        {
            var start = w.Position;
            w.U16(0);
            w.U16(bucket.Weight);
            w.U32(Ports.Any);      // watch_port
            w.U32(Ofp.AnyGroup);   // watch_group
            w.Zeros(4);
            ActionCodec.WriteActions(w, bucket.Actions);
            w.PatchLength(start, start);
        }
    }

    /// <summary>Reads buckets until the reader is exhausted; watch port and group are not kept.</summary>
    public static ImmutableArray<Bucket> ReadBuckets(ref OfpReader r)
    {
        var buckets = ImmutableArray.CreateBuilder<Bucket>();
        while (!r.AtEnd)
        {
            var length = r.PeekU16At(0);
            if (length < BucketHeaderLength || length % 8 != 0)
                throw new OpenFlowDecodeException($"bucket length {length} (must be at least {BucketHeaderLength} and a multiple of 8)");
            var b = r.Sub(length, "bucket");
            b.Skip(2);
            var weight = b.U16();
            b.Skip(12);
            buckets.Add(new Bucket(ActionCodec.ReadActions(ref b), weight));
        }
        return buckets.ToImmutable();
    }

    public static GroupType ReadType(byte type) =>
        type <= (byte)GroupType.Select ? (GroupType)type : throw new OpenFlowDecodeException($"group type {type} is not supported");

    /// <summary>One ofp_group_desc.</summary>
    public static void WriteDesc(OfpWriter w, GroupEntry group)
    {
        var start = w.Position;
        w.U16(0);
        w.U8((byte)group.Type);
        w.U8(0);
        w.U32(group.Id);
        WriteBuckets(w, group.Buckets);
        w.PatchLength(start, start);
    }

    /// <summary>ofp_group_desc entries until the reader is exhausted (a group desc reply's body).</summary>
    public static ImmutableArray<GroupEntry> ReadDescs(ref OfpReader r)
    {
        var groups = ImmutableArray.CreateBuilder<GroupEntry>();
        while (!r.AtEnd)
        {
            var length = r.PeekU16At(0);
            if (length < GroupDescHeaderLength || length % 8 != 0)
                throw new OpenFlowDecodeException($"group desc length {length} (must be at least {GroupDescHeaderLength} and a multiple of 8)");
            var g = r.Sub(length, "group desc");
            g.Skip(2);
            var type = ReadType(g.U8());
            g.Skip(1);
            var id = g.U32();
            groups.Add(new GroupEntry(id, type, ReadBuckets(ref g)));
        }
        return groups.ToImmutable();
    }
}
