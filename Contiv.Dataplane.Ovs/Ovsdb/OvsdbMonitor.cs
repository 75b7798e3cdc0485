using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Contiv.Dataplane.Ovs.Ovsdb;

/// <summary>One row's change: <see cref="Old"/> null for an insert (or initial row), <see cref="New"/> null
/// for a delete; for a modify, <see cref="Old"/> holds only the monitored columns that changed.</summary>
public sealed record OvsdbRowUpdate(string Table, Guid Uuid, JsonObject? Old, JsonObject? New)
{
    public bool IsInsert => Old is null && New is not null;
    public bool IsDelete => New is null;

    internal static IReadOnlyList<OvsdbRowUpdate> Parse(JsonNode? tableUpdates)
    {
        if (tableUpdates is not JsonObject tables)
            throw new OvsdbProtocolException($"table-updates must be an object, got {tableUpdates?.ToJsonString() ?? "null"}");
        var updates = new List<OvsdbRowUpdate>();
        foreach (var (table, rows) in tables)
        {
            if (rows is not JsonObject byUuid) throw new OvsdbProtocolException($"table-update for {table} must be an object");
            foreach (var (uuidText, change) in byUuid)
            {
                if (!Guid.TryParse(uuidText, out var uuid) || change is not JsonObject c)
                    throw new OvsdbProtocolException($"malformed row-update {uuidText} in {table}");
                updates.Add(new(table, uuid, c["old"] as JsonObject, c["new"] as JsonObject));
            }
        }
        return updates;
    }
}

/// <summary>What to monitor in one table: columns (all when null) and which kinds of change.</summary>
public sealed record OvsdbMonitorRequest(string Table, IReadOnlyList<string>? Columns = null,
    bool Initial = true, bool Insert = true, bool Delete = true, bool Modify = true)
{
    internal JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["select"] = new JsonObject { ["initial"] = Initial, ["insert"] = Insert, ["delete"] = Delete, ["modify"] = Modify },
        };
        if (Columns is not null) o["columns"] = new JsonArray(Columns.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        return o;
    }
}

/// <summary>
/// A running <c>monitor</c>: the rows present when it started, then every <c>update</c> notification
/// as one batch (one committed transaction) on <see cref="Updates"/>. The reader completes with an
/// <see cref="OvsdbProtocolException"/> if the connection fails, and normally after <see cref="CancelAsync"/>
/// or disposal of the client.
/// </summary>
public sealed class OvsdbMonitor
{
    private readonly OvsdbClient _client;
    private readonly Channel<IReadOnlyList<OvsdbRowUpdate>> _channel =
        Channel.CreateUnbounded<IReadOnlyList<OvsdbRowUpdate>>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });

    internal OvsdbMonitor(OvsdbClient client, string id)
    {
        _client = client;
        Id = id;
    }

    public string Id { get; }
    public IReadOnlyList<OvsdbRowUpdate> Initial { get; internal set; } = [];
    public ChannelReader<IReadOnlyList<OvsdbRowUpdate>> Updates => _channel.Reader;

    internal void Deliver(IReadOnlyList<OvsdbRowUpdate> updates) => _channel.Writer.TryWrite(updates);
    internal void Complete(Exception? error) => _channel.Writer.TryComplete(error);

    /// <summary><c>monitor_cancel</c>; the update stream then completes.</summary>
    public Task CancelAsync(CancellationToken cancellationToken = default) => _client.CancelMonitorAsync(this, cancellationToken);
}
