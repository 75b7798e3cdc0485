namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

/// <summary>ONF_ET_BUNDLE_CONTROL (experimenter 0x4f4e4600, type 2300): open/close/commit/discard and their replies.</summary>
public sealed record BundleControl(uint BundleId, BundleControlType Type, BundleFlags Flags = BundleFlags.None) : OfpMessage;

/// <summary>
/// ONF_ET_BUNDLE_ADD_MESSAGE (type 2301): wraps a complete inner message. OVS requires the inner
/// header's xid to equal the outer one, so the codec writes the same xid into both.
/// </summary>
public sealed record BundleAdd(uint BundleId, OfpMessage Inner, BundleFlags Flags = BundleFlags.None) : OfpMessage;
