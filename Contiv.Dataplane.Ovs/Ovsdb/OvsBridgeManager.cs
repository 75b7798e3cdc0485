using System.Text.Json.Nodes;

namespace Contiv.Dataplane.Ovs.Ovsdb;

/// <summary>
/// Idempotent bridge and port management over an <see cref="OvsdbClient"/>. Every Ensure reads first
/// and writes only what differs (nothing if the database already matches); a write carries <c>wait</c>
/// operations asserting that what it read is still so, and is retried from the read if another client
/// changed it in between.
/// </summary>
public sealed class OvsBridgeManager(OvsdbClient client, string database = OvsBridgeManager.Database)
{
    public const string Database = "Open_vSwitch";
    private const int Attempts = 5;

    private static readonly string[] BridgeColumns = ["datapath_type", "protocols", "fail_mode", "controller", "external_ids", "other_config"];
    private static readonly string[] InterfaceColumns = ["type", "options", "ofport_request", "external_ids"];

    public OvsdbClient Client => client;

    // ---------------- bridges ----------------

    public async Task<OvsBridgeInfo?> GetBridgeAsync(string name, CancellationToken cancellationToken = default)
    {
        var r = await client.TransactAsync(database, [
            OvsdbOp.Select("Bridge", [OvsdbCondition.Equal("name", name)]),
            OvsdbOp.Select("Controller", [], ["_uuid", "target"]),
        ], cancellationToken);
        var row = Rows(r[0]).SingleOrDefault();
        return row is null ? null : ReadBridge(row, ControllerTargets(r[1]));
    }

    public async Task<OvsEnsureResult> EnsureBridgeAsync(OvsBridgeSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        for (var attempt = 1; ; attempt++)
        {
            var r = await client.TransactAsync(database, [
                OvsdbOp.Select("Bridge", [OvsdbCondition.Equal("name", spec.Name)], ["_uuid", "name", .. BridgeColumns]),
                OvsdbOp.Select("Controller", [], ["_uuid", "target"]),
            ], cancellationToken);
            var row = Rows(r[0]).SingleOrDefault();
            try
            {
                if (row is null) return new(await CreateBridge(spec, cancellationToken), true);
                return await UpdateBridge(spec, row, ControllerTargets(r[1]), cancellationToken);
            }
            catch (OvsdbException e) when (IsLostRace(e) && attempt < Attempts)
            {
                // someone else changed the bridge between our read and write: read again
            }
        }
    }

    private async Task<Guid> CreateBridge(OvsBridgeSpec spec, CancellationToken cancellationToken)
    {
        var ops = new List<JsonObject>
        {
            OvsdbOp.Wait("Bridge", [OvsdbCondition.Equal("name", spec.Name)], ["name"], "==", []),
            OvsdbOp.Insert("Interface", new JsonObject { ["name"] = spec.Name, ["type"] = "internal" }, "local_iface"),
            OvsdbOp.Insert("Port", new JsonObject { ["name"] = spec.Name, ["interfaces"] = OvsdbValue.NamedUuid("local_iface") }, "local_port"),
        };
        for (var i = 0; i < spec.Controllers.Count; i++)
            ops.Add(OvsdbOp.Insert("Controller", new JsonObject { ["target"] = spec.Controllers[i] }, $"controller{i}"));
        var bridge = new JsonObject
        {
            ["name"] = spec.Name,
            ["datapath_type"] = spec.DatapathType,
            ["protocols"] = OvsdbValue.Set([.. spec.EffectiveProtocols]),
            ["fail_mode"] = OvsdbValue.Optional(spec.FailMode),
            ["controller"] = OvsdbValue.Set(Enumerable.Range(0, spec.Controllers.Count).Select(i => (JsonNode?)OvsdbValue.NamedUuid($"controller{i}"))),
            ["ports"] = OvsdbValue.Set([OvsdbValue.NamedUuid("local_port")]),
        };
        if (spec.ExternalIds is not null) bridge["external_ids"] = OvsdbValue.Map(spec.ExternalIds);
        if (spec.OtherConfig is not null) bridge["other_config"] = OvsdbValue.Map(spec.OtherConfig);
        ops.Add(OvsdbOp.Insert("Bridge", bridge, "bridge"));
        ops.Add(OvsdbOp.Mutate("Open_vSwitch", [], OvsdbMutation.Insert("bridges", OvsdbValue.Set([OvsdbValue.NamedUuid("bridge")]))));
        var results = await client.TransactAsync(database, ops, cancellationToken);
        if (results[^1]["count"]?.GetValue<int>() != 1) throw NoRootRow();
        return OvsdbValue.ReadUuid(results[ops.Count - 2]["uuid"]);
    }

    private async Task<OvsEnsureResult> UpdateBridge(OvsBridgeSpec spec, JsonObject row, IReadOnlyDictionary<Guid, string> controllerTargets,
        CancellationToken cancellationToken)
    {
        var current = ReadBridge(row, controllerTargets);
        var update = new JsonObject();
        var ops = new List<JsonObject>();
        if (current.DatapathType != spec.DatapathType) update["datapath_type"] = spec.DatapathType;
        if (!SameSet(current.Protocols, spec.EffectiveProtocols)) update["protocols"] = OvsdbValue.Set([.. spec.EffectiveProtocols]);
        if (current.FailMode != spec.FailMode) update["fail_mode"] = OvsdbValue.Optional(spec.FailMode);
        if (spec.ExternalIds is not null && !SameMap(current.ExternalIds, spec.ExternalIds)) update["external_ids"] = OvsdbValue.Map(spec.ExternalIds);
        if (spec.OtherConfig is not null && !SameMap(current.OtherConfig, spec.OtherConfig)) update["other_config"] = OvsdbValue.Map(spec.OtherConfig);
        if (!SameSet(current.Controllers, spec.Controllers) || current.Controllers.Count != spec.Controllers.Count)
        {
            // Controller rows are garbage collected once no bridge refers to them.
            for (var i = 0; i < spec.Controllers.Count; i++)
                ops.Add(OvsdbOp.Insert("Controller", new JsonObject { ["target"] = spec.Controllers[i] }, $"controller{i}"));
            update["controller"] = OvsdbValue.Set(Enumerable.Range(0, spec.Controllers.Count).Select(i => (JsonNode?)OvsdbValue.NamedUuid($"controller{i}")));
        }
        if (update.Count == 0) return new(current.Uuid, false);
        ops.Insert(0, WaitUnchanged("Bridge", row, BridgeColumns));
        ops.Add(OvsdbOp.Update("Bridge", [OvsdbCondition.UuidIs(current.Uuid)], update));
        await client.TransactAsync(database, ops, cancellationToken);
        return new(current.Uuid, true);
    }

    /// <summary>Removes the bridge (its ports, interfaces and controllers go with it). False if there was none.</summary>
    public async Task<bool> DeleteBridgeAsync(string name, CancellationToken cancellationToken = default)
    {
        var r = await client.TransactAsync(database, [OvsdbOp.Select("Bridge", [OvsdbCondition.Equal("name", name)], ["_uuid"])], cancellationToken);
        var row = Rows(r[0]).SingleOrDefault();
        if (row is null) return false;
        var uuid = OvsdbValue.ReadUuid(row["_uuid"]);
        await client.TransactAsync(database, [
            OvsdbOp.Mutate("Open_vSwitch", [], OvsdbMutation.Delete("bridges", OvsdbValue.UuidSet([uuid]))),
        ], cancellationToken);
        return true;
    }

    // ---------------- ports ----------------

    /// <summary>
    /// Makes <paramref name="bridge"/> have the port described by <paramref name="spec"/>; an existing port
    /// of that name on this bridge is updated in place (type, options, ofport_request, external_ids).
    /// A port of that name on another bridge is an error. Returns the Port row's uuid.
    /// </summary>
    public async Task<OvsEnsureResult> EnsurePortAsync(string bridge, OvsPortSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        for (var attempt = 1; ; attempt++)
        {
            var r = await client.TransactAsync(database, [
                OvsdbOp.Select("Bridge", [], ["_uuid", "name", "ports"]),
                OvsdbOp.Select("Port", [OvsdbCondition.Equal("name", spec.Name)], ["_uuid", "interfaces"]),
                OvsdbOp.Select("Interface", [OvsdbCondition.Equal("name", spec.Name)], ["_uuid", .. InterfaceColumns]),
            ], cancellationToken);
            var bridges = Rows(r[0]);
            var bridgeRow = bridges.SingleOrDefault(b => OvsdbValue.ReadString(b["name"]) == bridge)
                ?? throw new InvalidOperationException($"bridge {bridge} does not exist");
            var bridgeUuid = OvsdbValue.ReadUuid(bridgeRow["_uuid"]);
            var port = Rows(r[1]).SingleOrDefault();
            try
            {
                if (port is null) return new(await CreatePort(bridgeUuid, spec, cancellationToken), true);
                var portUuid = OvsdbValue.ReadUuid(port["_uuid"]);
                var owner = bridges.FirstOrDefault(b => OvsdbValue.ReadUuidSet(b["ports"]).Contains(portUuid));
                if (owner is not null && OvsdbValue.ReadUuid(owner["_uuid"]) != bridgeUuid)
                    throw new InvalidOperationException($"port {spec.Name} is on bridge {OvsdbValue.ReadString(owner["name"])}, not {bridge}");
                var interfaces = OvsdbValue.ReadUuidSet(port["interfaces"]);
                var iface = Rows(r[2]).SingleOrDefault();
                if (interfaces.Count != 1 || iface is null || OvsdbValue.ReadUuid(iface["_uuid"]) != interfaces[0])
                    throw new InvalidOperationException($"port {spec.Name} does not have exactly one interface named {spec.Name}");
                var ops = new List<JsonObject>();
                if (owner is null) // a port row nobody refers to is about to be collected; adopt it
                    ops.Add(OvsdbOp.Mutate("Bridge", [OvsdbCondition.UuidIs(bridgeUuid)], OvsdbMutation.Insert("ports", OvsdbValue.UuidSet([portUuid]))));
                var update = InterfaceUpdate(spec, iface);
                if (update.Count > 0)
                {
                    ops.Insert(0, WaitUnchanged("Interface", iface, InterfaceColumns));
                    ops.Add(OvsdbOp.Update("Interface", [OvsdbCondition.UuidIs(interfaces[0])], update));
                }
                if (ops.Count == 0) return new(portUuid, false);
                await client.TransactAsync(database, ops, cancellationToken);
                return new(portUuid, true);
            }
            catch (OvsdbException e) when (IsLostRace(e) && attempt < Attempts)
            {
            }
        }
    }

    private async Task<Guid> CreatePort(Guid bridgeUuid, OvsPortSpec spec, CancellationToken cancellationToken)
    {
        var iface = new JsonObject
        {
            ["name"] = spec.Name,
            ["type"] = spec.OvsdbType,
            ["options"] = OvsdbValue.Map(spec.Options ?? new Dictionary<string, string>()),
            ["ofport_request"] = OvsdbValue.Optional(spec.OfPortRequest),
        };
        if (spec.ExternalIds is not null) iface["external_ids"] = OvsdbValue.Map(spec.ExternalIds);
        var results = await client.TransactAsync(database, [
            OvsdbOp.Wait("Port", [OvsdbCondition.Equal("name", spec.Name)], ["name"], "==", []),
            OvsdbOp.Insert("Interface", iface, "iface"),
            OvsdbOp.Insert("Port", new JsonObject { ["name"] = spec.Name, ["interfaces"] = OvsdbValue.NamedUuid("iface") }, "port"),
            OvsdbOp.Mutate("Bridge", [OvsdbCondition.UuidIs(bridgeUuid)], OvsdbMutation.Insert("ports", OvsdbValue.Set([OvsdbValue.NamedUuid("port")]))),
        ], cancellationToken);
        if (results[3]["count"]?.GetValue<int>() != 1)
            throw new OvsdbException("transact", "bridge vanished", $"bridge {bridgeUuid} was deleted while adding port {spec.Name}", 3, "mutate Bridge");
        return OvsdbValue.ReadUuid(results[2]["uuid"]);
    }

    private static JsonObject InterfaceUpdate(OvsPortSpec spec, JsonObject iface)
    {
        var update = new JsonObject();
        if (OvsdbValue.ReadString(iface["type"]) != spec.OvsdbType) update["type"] = spec.OvsdbType;
        var options = spec.Options ?? new Dictionary<string, string>();
        if (!SameMap(OvsdbValue.ReadStringMap(iface["options"]), options)) update["options"] = OvsdbValue.Map(options);
        if (OvsdbValue.ReadOptionalInteger(iface["ofport_request"]) != spec.OfPortRequest) update["ofport_request"] = OvsdbValue.Optional(spec.OfPortRequest);
        if (spec.ExternalIds is not null && !SameMap(OvsdbValue.ReadStringMap(iface["external_ids"]), spec.ExternalIds))
            update["external_ids"] = OvsdbValue.Map(spec.ExternalIds);
        return update;
    }

    /// <summary>Removes the port (and its interface) from <paramref name="bridge"/>. False if there was none.</summary>
    public async Task<bool> RemovePortAsync(string bridge, string name, CancellationToken cancellationToken = default)
    {
        var r = await client.TransactAsync(database, [
            OvsdbOp.Select("Bridge", [], ["_uuid", "name", "ports"]),
            OvsdbOp.Select("Port", [OvsdbCondition.Equal("name", name)], ["_uuid"]),
        ], cancellationToken);
        var port = Rows(r[1]).SingleOrDefault();
        if (port is null) return false;
        var portUuid = OvsdbValue.ReadUuid(port["_uuid"]);
        var owner = Rows(r[0]).FirstOrDefault(b => OvsdbValue.ReadUuidSet(b["ports"]).Contains(portUuid));
        if (owner is null) return false;
        if (OvsdbValue.ReadString(owner["name"]) != bridge)
            throw new InvalidOperationException($"port {name} is on bridge {OvsdbValue.ReadString(owner["name"])}, not {bridge}");
        var results = await client.TransactAsync(database, [
            OvsdbOp.Mutate("Bridge", [OvsdbCondition.UuidIs(OvsdbValue.ReadUuid(owner["_uuid"]))], OvsdbMutation.Delete("ports", OvsdbValue.UuidSet([portUuid]))),
        ], cancellationToken);
        return results[0]["count"]?.GetValue<int>() == 1;
    }

    /// <summary>
    /// The OpenFlow port number vswitchd assigned to interface <paramref name="name"/>, waiting (server side,
    /// bounded by <paramref name="timeout"/>, default 5 s) until it has one. Throws if vswitchd could not
    /// open the interface (ofport -1: the message carries its error column), or if there is no such interface.
    /// </summary>
    public async Task<int> GetOfPortAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var ms = (int)(timeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
        IReadOnlyList<JsonObject> r;
        try
        {
            r = await client.TransactAsync(database, [
                OvsdbOp.Wait("Interface", [OvsdbCondition.Equal("name", name)], ["ofport"], "!=", [new JsonObject { ["ofport"] = OvsdbValue.EmptySet() }], ms),
                OvsdbOp.Select("Interface", [OvsdbCondition.Equal("name", name)], ["ofport", "error"]),
            ], cancellationToken);
        }
        catch (OvsdbException e) when (e.Error == "timed out" && e.OperationIndex == 0)
        {
            throw new TimeoutException($"ovs-vswitchd assigned no OpenFlow port to {name} within {ms} ms");
        }
        var row = Rows(r[1]).SingleOrDefault() ?? throw new InvalidOperationException($"there is no interface {name}");
        var ofport = OvsdbValue.ReadOptionalInteger(row["ofport"]);
        if (ofport is > 0) return (int)ofport.Value;
        throw new InvalidOperationException($"ovs-vswitchd could not attach {name} (ofport {ofport}): {OvsdbValue.ReadOptionalString(row["error"]) ?? "no error given"}");
    }

    /// <summary>The ports of <paramref name="bridge"/> by name; the bridge's own local port only if asked.</summary>
    public async Task<IReadOnlyList<OvsPortInfo>> ListPortsAsync(string bridge, bool includeLocal = false, CancellationToken cancellationToken = default)
    {
        var r = await client.TransactAsync(database, [
            OvsdbOp.Select("Bridge", [OvsdbCondition.Equal("name", bridge)], ["_uuid", "ports"]),
            OvsdbOp.Select("Port", [], ["_uuid", "name", "interfaces"]),
            OvsdbOp.Select("Interface", [], ["_uuid", "name", "type", "ofport", "ofport_request", "options", "external_ids", "error"]),
        ], cancellationToken);
        var bridgeRow = Rows(r[0]).SingleOrDefault() ?? throw new InvalidOperationException($"bridge {bridge} does not exist");
        var portUuids = OvsdbValue.ReadUuidSet(bridgeRow["ports"]).ToHashSet();
        var interfaces = Rows(r[2]).ToDictionary(i => OvsdbValue.ReadUuid(i["_uuid"]));
        var list = new List<OvsPortInfo>();
        foreach (var port in Rows(r[1]))
        {
            var portUuid = OvsdbValue.ReadUuid(port["_uuid"]);
            var name = OvsdbValue.ReadString(port["name"]);
            if (!portUuids.Contains(portUuid) || (!includeLocal && name == bridge)) continue;
            foreach (var ifaceUuid in OvsdbValue.ReadUuidSet(port["interfaces"]))
            {
                if (!interfaces.TryGetValue(ifaceUuid, out var i)) continue;
                list.Add(new(portUuid, ifaceUuid, name, OvsdbValue.ReadString(i["type"]),
                    OvsdbValue.ReadOptionalInteger(i["ofport"]), OvsdbValue.ReadOptionalInteger(i["ofport_request"]),
                    OvsdbValue.ReadStringMap(i["options"]), OvsdbValue.ReadStringMap(i["external_ids"]),
                    OvsdbValue.ReadOptionalString(i["error"])));
            }
        }
        return list.OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Waits until ovs-vswitchd has acted on everything committed so far (the <c>next_cfg</c>/<c>cur_cfg</c>
    /// handshake ovs-vsctl uses without --no-wait): bridges, ports and controller listeners then exist.
    /// </summary>
    public async Task WaitForVswitchdAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var r = await client.TransactAsync(database, [
            OvsdbOp.Mutate("Open_vSwitch", [], new JsonArray("next_cfg", "+=", 1)),
            OvsdbOp.Select("Open_vSwitch", [], ["next_cfg"]),
        ], cancellationToken);
        var target = Rows(r[1]).Single()["next_cfg"]!.GetValue<long>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var s = await client.TransactAsync(database, [OvsdbOp.Select("Open_vSwitch", [], ["cur_cfg"])], cancellationToken);
            if (Rows(s[0]).Single()["cur_cfg"]!.GetValue<long>() >= target) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"ovs-vswitchd did not reach configuration {target} in time");
            await Task.Delay(10, cancellationToken);
        }
    }

    // ---------------- helpers ----------------

    private static OvsBridgeInfo ReadBridge(JsonObject row, IReadOnlyDictionary<Guid, string> controllerTargets) => new(
        OvsdbValue.ReadUuid(row["_uuid"]),
        OvsdbValue.ReadString(row["name"]),
        OvsdbValue.ReadString(row["datapath_type"]),
        OvsdbValue.ReadStringSet(row["protocols"]),
        OvsdbValue.ReadOptionalString(row["fail_mode"]),
        OvsdbValue.ReadUuidSet(row["controller"]).Select(u => controllerTargets.GetValueOrDefault(u, "")).Order(StringComparer.Ordinal).ToArray(),
        OvsdbValue.ReadStringMap(row["external_ids"]),
        OvsdbValue.ReadStringMap(row["other_config"]));

    private static Dictionary<Guid, string> ControllerTargets(JsonObject selectResult) =>
        Rows(selectResult).ToDictionary(c => OvsdbValue.ReadUuid(c["_uuid"]), c => OvsdbValue.ReadString(c["target"]));

    private static IReadOnlyList<JsonObject> Rows(JsonObject selectResult) =>
        (selectResult["rows"] as JsonArray ?? throw new OvsdbProtocolException($"select returned {selectResult.ToJsonString()}"))
        .Select(r => r as JsonObject ?? throw new OvsdbProtocolException("a select row is not an object")).ToArray();

    /// <summary>A wait that fails at once unless the row still has the <paramref name="columns"/> values we read.</summary>
    private static JsonObject WaitUnchanged(string table, JsonObject row, IReadOnlyList<string> columns)
    {
        var expected = new JsonObject();
        foreach (var c in columns) expected[c] = row[c]?.DeepClone();
        return OvsdbOp.Wait(table, [OvsdbCondition.Equal("_uuid", row["_uuid"]!.DeepClone())], columns, "==", [expected]);
    }

    /// <summary>Without the Open_vSwitch row nothing refers to a new bridge, and the server drops it at once.</summary>
    private InvalidOperationException NoRootRow() =>
        new($"database {database} has no Open_vSwitch row: initialize it first (ovs-vsctl --no-wait init)");

    private static bool IsLostRace(OvsdbException e) => e is not OvsdbProtocolException && e.Error == "timed out";

    private static bool SameSet(IReadOnlyList<string> a, IReadOnlyList<string> b) => a.ToHashSet(StringComparer.Ordinal).SetEquals(b);

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
