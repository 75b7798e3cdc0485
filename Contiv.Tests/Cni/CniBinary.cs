using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Contiv.Lab;

namespace Contiv.Tests.Cni;

/// <summary>An exit code and what the plugin printed on stdout, parsed.</summary>
public sealed record CniOutcome(int ExitCode, string Stdout, string Stderr)
{
    public JsonObject Json => JsonNode.Parse(Stdout) as JsonObject ?? throw new InvalidOperationException($"not a JSON object: {Stdout}");

    public int? ErrorCode => ExitCode == 0 ? null : (int?)Json["code"]?.GetValue<int>();

    public override string ToString() => $"exit {ExitCode}: {Stdout} {Stderr}";
}

/// <summary>contiv-cni as cni/install.sh publishes it (NativeAOT, once per test run), run exactly as a runtime runs a plugin: env + stdin.</summary>
public static class CniBinary
{
    public const string ReferencePlugins = "/usr/lib/cni";
    private static readonly Lazy<Task<string>> Installed = new(InstallAsync);

    /// <summary>The directory holding contiv-cni (a runtime's CNI_PATH).</summary>
    public static Task<string> BinDirectoryAsync() => Installed.Value;

    public static async Task<CniOutcome> RunAsync(string command, string config, string? containerId = null, string? netns = null,
        string? ifname = "eth0", string? args = null, string? binary = null)
    {
        var dir = await BinDirectoryAsync();
        var psi = new ProcessStartInfo(binary ?? Path.Combine(dir, "contiv-cni"))
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        if (command.Length > 0) psi.Environment["CNI_COMMAND"] = command;
        if (containerId is not null) psi.Environment["CNI_CONTAINERID"] = containerId;
        psi.Environment["CNI_NETNS"] = netns ?? "";
        if (ifname is not null) psi.Environment["CNI_IFNAME"] = ifname;
        if (args is not null) psi.Environment["CNI_ARGS"] = args;
        psi.Environment["CNI_PATH"] = $"{dir}:{ReferencePlugins}";
        using var process = Process.Start(psi)!;
        try
        {
            await process.StandardInput.WriteAsync(config);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // A plugin may exit before reading its stdin; runtimes (Go's os/exec) ignore the broken pipe, and so does this.
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return new CniOutcome(process.ExitCode, await stdout, await stderr);
    }

    private static async Task<string> InstallAsync()
    {
        var dir = Directory.CreateTempSubdirectory("contiv-cni-bin-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        };
        var (code, output) = await LabCommands.Exec(TimeSpan.FromMinutes(10), "bash", Path.Combine(LabPaths.RepositoryRoot(), "cni", "install.sh"), "--bin-dir", dir, "--no-conf");
        if (code != 0) throw new InvalidOperationException($"cni/install.sh failed ({code}):\n{output}");
        return dir;
    }

    /// <summary>A network configuration as a runtime hands it to one plugin.</summary>
    public static string Config(string agentSocket, string version = "1.1.0", string network = "n1", string? group = "web",
        JsonObject? prevResult = null, JsonObject? runtimeConfig = null, string name = "contiv")
    {
        var config = new JsonObject
        {
            ["cniVersion"] = version, ["name"] = name, ["type"] = "contiv-cni", ["tenant"] = "default", ["network"] = network,
            ["agentSocket"] = agentSocket,
        };
        if (group is not null) config["group"] = group;
        if (prevResult is not null) config["prevResult"] = prevResult.DeepClone();
        if (runtimeConfig is not null) config["runtimeConfig"] = runtimeConfig.DeepClone();
        return config.ToJsonString();
    }
}
