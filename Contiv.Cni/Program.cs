using System.Text.Json.Nodes;
using Contiv.Cni;

// contiv-cni: run by a container runtime with the CNI environment and the network configuration on
// stdin; prints the result (or an error result) on stdout, in the configuration's cniVersion.
var version = CniVersions.Latest;
try
{
    // Read before anything can fail: a runtime still writing the configuration must not meet a closed pipe.
    var stdin = await Console.In.ReadToEndAsync();
    var invocation = CniInvocation.FromEnvironment(Environment.GetEnvironmentVariable);
    if (invocation.Command == "VERSION")
    {
        // The configuration may be minimal (just cniVersion), or missing.
        if (stdin.Trim().Length > 0) version = NetworkConfig.Parse(stdin, versionOnly: true).CniVersion;
        Print(CniResult.Version(version));
        return 0;
    }
    var config = NetworkConfig.Parse(stdin);
    version = config.CniVersion;
    if (!CniVersions.Supports(version, invocation.Command))
        throw new CniError(CniError.IncompatibleVersion, $"{invocation.Command} is not part of CNI {version}: use cniVersion {CniVersions.Latest}");
    using var agent = new AgentClient(config.AgentSocket, TimeSpan.FromSeconds(60));
    if (await new Commands(config, invocation, agent).RunAsync() is { } result) Print(result);
    return 0;
}
catch (CniError error)
{
    Print(CniResult.Error(version, error));
    return 1;
}

static void Print(JsonObject json)
{
    Console.Out.Write(json.ToJsonString());
    Console.Out.Flush();
}
