namespace Contiv.Cni;

/// <summary>The spec versions this plugin speaks; results are written in the config's version.</summary>
public static class CniVersions
{
    public const string Latest = "1.1.0";

    public static readonly string[] Supported = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    public static bool IsSupported(string version) => Supported.Contains(version);

    /// <summary>Before 1.0.0 an ip carries "version": "4".</summary>
    public static bool IpsCarryVersion(string version) => version.StartsWith("0.", StringComparison.Ordinal);

    /// <summary>CHECK came with 0.4.0; STATUS and GC with 1.1.0.</summary>
    public static bool Supports(string version, string command) => command switch
    {
        "CHECK" => version is "0.4.0" or "1.0.0" or "1.1.0",
        "STATUS" or "GC" => version is "1.1.0",
        _ => true,
    };
}
