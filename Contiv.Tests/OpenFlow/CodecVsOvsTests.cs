using Contiv.Dataplane.Ovs.OpenFlow;
using Xunit;

namespace Contiv.Tests.OpenFlow;

/// <summary>Our encoding of every message, match field and action, decoded by ovs-ofctl ofp-print (OVS 3.1).</summary>
public sealed class CodecVsOvsTests
{
    public static TheoryData<string> Names => [.. CodecCases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Ovs_decodes_our_encoding_as_intended(string name)
    {
        var (_, message, xid, expected) = CodecCases.All.Single(c => c.Name == name);
        var printed = OfpPrint.Run(OpenFlowCodec.Encode(message, xid));
        if (Environment.GetEnvironmentVariable("OFP_DUMP") is { } dump) File.AppendAllText(dump, $"== {name}\n{printed}\n");
        Assert.Equal(expected, printed);
    }
}
