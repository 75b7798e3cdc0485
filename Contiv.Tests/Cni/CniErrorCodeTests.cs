using Xunit;

namespace Contiv.Tests.Cni;

/// <summary>Every invalid environment, config or unreachable agent answers the spec's error code and a message saying what to fix.</summary>
[Trait("Category", "Cni")]
public sealed class CniErrorCodeTests
{
    private const string NoAgent = "/nonexistent/contiv-agent.sock";
    private static readonly string Good = CniBinary.Config(NoAgent);

    public static TheoryData<string, string, string?, string?, string?, string?, int, string> Cases => new()
    {
        // command, config, containerId, netns, ifname, args, code, in the message
        { "", Good, "c1", "/proc/self/ns/net", "eth0", null, 4, "CNI_COMMAND is not set" },
        { "FROB", Good, "c1", "/proc/self/ns/net", "eth0", null, 4, "not a CNI command" },
        { "ADD", Good, null, "/proc/self/ns/net", "eth0", null, 4, "CNI_CONTAINERID is required" },
        { "ADD", Good, "c/1", "/proc/self/ns/net", "eth0", null, 4, "CNI_CONTAINERID c/1" },
        { "ADD", Good, "c1", null, "eth0", null, 4, "CNI_NETNS is required" },
        { "ADD", Good, "c1", "relative/ns", "eth0", null, 4, "must be an absolute path" },
        { "ADD", Good, "c1", "/proc/self/ns/net", null, null, 4, "CNI_IFNAME is required" },
        { "ADD", Good, "c1", "/proc/self/ns/net", "a-name-too-long-for-linux", null, 4, "1-15 characters" },
        { "ADD", Good, "c1", "/proc/self/ns/net", "eth0", "K8S_POD_NAME", 4, "not KEY=VALUE" },
        { "ADD", "not json", "c1", "/proc/self/ns/net", "eth0", null, 6, "not valid JSON" },
        { "ADD", "[1]", "c1", "/proc/self/ns/net", "eth0", null, 6, "not a JSON object" },
        { "ADD", """{"name":"contiv","type":"contiv-cni","network":"n1"}""", "c1", "/proc/self/ns/net", "eth0", null, 7, "cniVersion is required" },
        { "ADD", """{"cniVersion":"0.2.0","name":"contiv","network":"n1"}""", "c1", "/proc/self/ns/net", "eth0", null, 1, "0.2.0 is not supported" },
        { "ADD", """{"cniVersion":"1.1.0","type":"contiv-cni","network":"n1"}""", "c1", "/proc/self/ns/net", "eth0", null, 7, "name is required" },
        { "ADD", CniBinary.Config(NoAgent, network: ""), "c1", "/proc/self/ns/net", "eth0", null, 7, "set \"network\"" },
        { "ADD", """{"cniVersion":"1.1.0","name":"contiv","network":"n1","agentSocket":"run/x.sock"}""", "c1", "/proc/self/ns/net", "eth0", null, 7, "agentSocket" },
        { "ADD", Good, "c1", "/proc/self/ns/net", "eth0", null, 11, "not reachable at " + NoAgent },
        { "DEL", Good, "c1", null, "eth0", null, 11, "is contiv-agent running" },
        { "CHECK", CniBinary.Config(NoAgent, version: "0.3.1"), "c1", "/proc/self/ns/net", "eth0", null, 1, "CHECK is not part of CNI 0.3.1" },
        { "CHECK", Good, "c1", "/proc/self/ns/net", "eth0", null, 7, "CHECK needs prevResult" },
        { "STATUS", CniBinary.Config(NoAgent, version: "1.0.0"), null, null, null, null, 1, "STATUS is not part of CNI 1.0.0" },
        { "STATUS", Good, null, null, null, null, 50, "not reachable at " + NoAgent },
        { "GC", Good, null, null, null, null, 11, "not reachable" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Answers_the_spec_code_with_a_message(string command, string config, string? containerId, string? netns, string? ifname, string? args,
        int code, string message)
    {
        var outcome = await CniBinary.RunAsync(command, config, containerId, netns, ifname, args);
        Assert.True(outcome.ExitCode != 0, outcome.ToString());
        Assert.Equal(code, outcome.ErrorCode);
        Assert.Contains(message, outcome.Json["msg"]!.GetValue<string>());
        Assert.NotNull(outcome.Json["cniVersion"]);
    }

    [Theory]
    [InlineData("""{"cniVersion":"0.4.0"}""", "0.4.0")]
    [InlineData("""{"cniVersion":"1.1.0","name":"contiv"}""", "1.1.0")]
    [InlineData("", "1.1.0")]
    public async Task Version_lists_every_supported_version(string config, string answered)
    {
        var outcome = await CniBinary.RunAsync("VERSION", config, ifname: null);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(answered, outcome.Json["cniVersion"]!.GetValue<string>());
        Assert.Equal(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"], outcome.Json["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
    }
}
