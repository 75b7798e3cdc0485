using System.Text.Json.Nodes;

namespace Contiv.Dataplane.Ovs.Ovsdb;

/// <summary>
/// The server refused a request: a JSON-RPC error, or an operation of a <c>transact</c> that failed
/// (then <see cref="OperationIndex"/> and <see cref="Operation"/> name it; an index equal to the
/// operation count means the commit itself failed, e.g. a constraint or referential-integrity violation).
/// </summary>
public class OvsdbException : Exception
{
    public string Method { get; }
    /// <summary>The server's "error" string (e.g. "constraint violation", "unknown database").</summary>
    public string? Error { get; }
    /// <summary>The server's "details", if any.</summary>
    public string? Details { get; }
    public int? OperationIndex { get; }
    /// <summary>"op table" of the failing operation, e.g. "insert NoSuchTable"; "commit" for the commit.</summary>
    public string? Operation { get; }

    public OvsdbException(string method, string? error, string? details, int? operationIndex = null, string? operation = null)
        : base(Format(method, error, details, operationIndex, operation))
    {
        Method = method;
        Error = error;
        Details = details;
        OperationIndex = operationIndex;
        Operation = operation;
    }

    protected OvsdbException(string message, Exception? inner) : base(message, inner)
    {
        Method = "";
    }

    private static string Format(string method, string? error, string? details, int? index, string? operation)
    {
        var where = index is null ? method : $"{method} operation {index} ({operation})";
        return $"OVSDB {where} failed: {error ?? "error"}{(string.IsNullOrEmpty(details) ? "" : ": " + details)}";
    }

    internal static (string? Error, string? Details) Read(JsonNode? error) => error switch
    {
        JsonObject o => (o["error"]?.ToString(), o["details"]?.ToString()),
        null => (null, null),
        _ => (error.ToString(), null),
    };
}

/// <summary>The connection broke, was closed, or the server sent something that is not OVSDB JSON-RPC;
/// every request in flight and every monitor fails with it.</summary>
public sealed class OvsdbProtocolException(string message, Exception? inner = null) : OvsdbException(message, inner);
