namespace Contiv.Cni;

/// <summary>A CNI error result: the spec's code, a message saying what to fix, optional details.</summary>
public sealed class CniError(int code, string message, string? details = null) : Exception(message)
{
    public const int IncompatibleVersion = 1;
    public const int UnsupportedField = 2;
    public const int UnknownContainer = 3;
    public const int InvalidEnvironment = 4;
    public const int IoFailure = 5;
    public const int DecodeFailure = 6;
    public const int InvalidNetworkConfig = 7;
    public const int TryAgainLater = 11;
    public const int PluginNotAvailable = 50;

    public int Code { get; } = code;
    public string? Details { get; } = details;
}
