namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

/// <summary>
/// OFPT_HELLO with an OFPHET_VERSIONBITMAP element. <see cref="Version"/> is the header version the
/// peer sent; <see cref="VersionBitmap"/> the versions it supports (null when it sent no bitmap).
/// </summary>
public sealed record Hello(uint? VersionBitmap = Hello.Only13, byte Version = Ofp.Version13) : OfpMessage
{
    public const uint Only13 = 1u << Ofp.Version13;

    /// <summary>
    /// Negotiation per OpenFlow 1.3 §6.3.1: with bitmaps on both sides the highest common version;
    /// otherwise the lower of the two header versions. Null when no common version exists.
    /// </summary>
    public byte? Negotiate(uint ourBitmap = Only13)
    {
        if (VersionBitmap is { } theirs)
        {
            var common = theirs & ourBitmap;
            return common == 0 ? null : (byte)(31 - System.Numerics.BitOperations.LeadingZeroCount(common));
        }
        var ours = (byte)(31 - System.Numerics.BitOperations.LeadingZeroCount(ourBitmap));
        var candidate = Math.Min(ours, Version);
        return (ourBitmap & (1u << candidate)) != 0 ? candidate : null;
    }
}
