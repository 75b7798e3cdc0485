using Contiv.Dataplane.Ovs.OpenFlow.Messages;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>Names of OpenFlow 1.3 error types and codes (openflow-1.3.h) and the ONF bundle errors OVS sends for 1.3.</summary>
public static class OpenFlowErrors
{
    private static readonly string[] Types =
    [
        "OFPET_HELLO_FAILED", "OFPET_BAD_REQUEST", "OFPET_BAD_ACTION", "OFPET_BAD_INSTRUCTION", "OFPET_BAD_MATCH",
        "OFPET_FLOW_MOD_FAILED", "OFPET_GROUP_MOD_FAILED", "OFPET_PORT_MOD_FAILED", "OFPET_TABLE_MOD_FAILED",
        "OFPET_QUEUE_OP_FAILED", "OFPET_SWITCH_CONFIG_FAILED", "OFPET_ROLE_REQUEST_FAILED", "OFPET_METER_MOD_FAILED",
        "OFPET_TABLE_FEATURES_FAILED",
    ];

    private static readonly Dictionary<ushort, string[]> Codes = new()
    {
        [0] = ["OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM"],
        [1] =
        [
            "OFPBRC_BAD_VERSION", "OFPBRC_BAD_TYPE", "OFPBRC_BAD_MULTIPART", "OFPBRC_BAD_EXPERIMENTER", "OFPBRC_BAD_EXP_TYPE",
            "OFPBRC_EPERM", "OFPBRC_BAD_LEN", "OFPBRC_BUFFER_EMPTY", "OFPBRC_BUFFER_UNKNOWN", "OFPBRC_BAD_TABLE_ID",
            "OFPBRC_IS_SLAVE", "OFPBRC_BAD_PORT", "OFPBRC_BAD_PACKET", "OFPBRC_MULTIPART_BUFFER_OVERFLOW",
        ],
        [2] =
        [
            "OFPBAC_BAD_TYPE", "OFPBAC_BAD_LEN", "OFPBAC_BAD_EXPERIMENTER", "OFPBAC_BAD_EXP_TYPE", "OFPBAC_BAD_OUT_PORT",
            "OFPBAC_BAD_ARGUMENT", "OFPBAC_EPERM", "OFPBAC_TOO_MANY", "OFPBAC_BAD_QUEUE", "OFPBAC_BAD_OUT_GROUP",
            "OFPBAC_MATCH_INCONSISTENT", "OFPBAC_UNSUPPORTED_ORDER", "OFPBAC_BAD_TAG", "OFPBAC_BAD_SET_TYPE",
            "OFPBAC_BAD_SET_LEN", "OFPBAC_BAD_SET_ARGUMENT",
        ],
        [3] =
        [
            "OFPBIC_UNKNOWN_INST", "OFPBIC_UNSUP_INST", "OFPBIC_BAD_TABLE_ID", "OFPBIC_UNSUP_METADATA",
            "OFPBIC_UNSUP_METADATA_MASK", "OFPBIC_BAD_EXPERIMENTER", "OFPBIC_BAD_EXP_TYPE", "OFPBIC_BAD_LEN", "OFPBIC_EPERM",
        ],
        [4] =
        [
            "OFPBMC_BAD_TYPE", "OFPBMC_BAD_LEN", "OFPBMC_BAD_TAG", "OFPBMC_BAD_DL_ADDR_MASK", "OFPBMC_BAD_NW_ADDR_MASK",
            "OFPBMC_BAD_WILDCARDS", "OFPBMC_BAD_FIELD", "OFPBMC_BAD_VALUE", "OFPBMC_BAD_MASK", "OFPBMC_BAD_PREREQ",
            "OFPBMC_DUP_FIELD", "OFPBMC_EPERM",
        ],
        [5] =
        [
            "OFPFMFC_UNKNOWN", "OFPFMFC_TABLE_FULL", "OFPFMFC_BAD_TABLE_ID", "OFPFMFC_OVERLAP", "OFPFMFC_EPERM",
            "OFPFMFC_BAD_TIMEOUT", "OFPFMFC_BAD_COMMAND", "OFPFMFC_BAD_FLAGS",
        ],
        [6] =
        [
            "OFPGMFC_GROUP_EXISTS", "OFPGMFC_INVALID_GROUP", "OFPGMFC_WEIGHT_UNSUPPORTED", "OFPGMFC_OUT_OF_GROUPS",
            "OFPGMFC_OUT_OF_BUCKETS", "OFPGMFC_CHAINING_UNSUPPORTED", "OFPGMFC_WATCH_UNSUPPORTED", "OFPGMFC_LOOP",
            "OFPGMFC_UNKNOWN_GROUP", "OFPGMFC_CHAINED_GROUP", "OFPGMFC_BAD_TYPE", "OFPGMFC_BAD_COMMAND",
            "OFPGMFC_BAD_BUCKET", "OFPGMFC_BAD_WATCH", "OFPGMFC_EPERM",
        ],
    };

    /// <summary>ONF bundle failure codes (OF1.4 OFPBFC_*), sent in OF1.3 as ONF experimenter errors 2300 + code.</summary>
    private static readonly string[] BundleCodes =
    [
        "OFPBFC_UNKNOWN", "OFPBFC_EPERM", "OFPBFC_BAD_ID", "OFPBFC_BUNDLE_EXIST", "OFPBFC_BUNDLE_CLOSED",
        "OFPBFC_OUT_OF_BUNDLES", "OFPBFC_BAD_TYPE", "OFPBFC_BAD_FLAGS", "OFPBFC_MSG_BAD_LEN", "OFPBFC_MSG_BAD_XID",
        "OFPBFC_MSG_UNSUP", "OFPBFC_MSG_CONFLICT", "OFPBFC_MSG_TOO_MANY", "OFPBFC_MSG_FAILED", "OFPBFC_TIMEOUT",
        "OFPBFC_BUNDLE_IN_PROGRESS",
    ];

    public static string Name(ushort type, ushort code, uint? experimenter = null)
    {
        if (type == ErrorMessage.ExperimenterType)
        {
            if (experimenter == Ofp.OnfExperimenter && code >= Ofp.OnfBundleControl && code - Ofp.OnfBundleControl < BundleCodes.Length)
                return "ONFERR_ET_BUNDLE/" + BundleCodes[code - Ofp.OnfBundleControl];
            return $"OFPET_EXPERIMENTER(0x{experimenter ?? 0:x8})/{code}";
        }
        var typeName = type < Types.Length ? Types[type] : $"OFPET_{type}";
        var codeName = Codes.TryGetValue(type, out var names) && code < names.Length ? names[code] : code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{typeName}/{codeName}";
    }
}

/// <summary>The switch answered a request with an error.</summary>
public class OpenFlowErrorException(ErrorMessage error, string message) : Exception(message)
{
    public ErrorMessage Error { get; } = error;
}

/// <summary>
/// A bundle failed and was discarded (or rolled back by the switch on commit): the switch is unchanged.
/// <see cref="FailedIndex"/> is the position of the failing message in what was given, when known.
/// </summary>
public sealed class OpenFlowBundleException(ErrorMessage error, int? failedIndex, OfpMessage? failedMessage, string message)
    : OpenFlowErrorException(error, message)
{
    public int? FailedIndex { get; } = failedIndex;
    public OfpMessage? FailedMessage { get; } = failedMessage;
}
