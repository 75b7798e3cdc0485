using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>
/// Base of the ObjApi acceptance tests: the C# counterparts of the check* helpers of the
/// original netmaster/objApi/objapi_test.go, built on <see cref="RestClient"/>.
///
/// Conventions of every check helper:
/// <list type="bullet">
/// <item>expectError = false: the answer must be 200 and the echoed JSON must carry the fields sent;
/// a follow-up GET must find the object.</item>
/// <item>expectError = true: the answer must be 4xx (never 2xx, never 5xx) with a non-empty plain-text
/// body; when a status is given it must be exactly that status, and every "mention" must occur in
/// the message (case-insensitive).</item>
/// </list>
/// Before each test the master is scrubbed (best effort) of everything but tenant `default` and
/// `global`, so a test that failed midway does not break the next one.
/// </summary>
public abstract partial class ObjApiTestBase(ObjApiMaster fixture) : IAsyncLifetime
{
    protected const HttpStatusCode BadRequest = HttpStatusCode.BadRequest;
    protected const HttpStatusCode NotFound = HttpStatusCode.NotFound;
    protected const HttpStatusCode Conflict = HttpStatusCode.Conflict;

    // Defaults of the global object, as the original tests set them at the start of every test.
    protected const string DefInfra = "default";
    protected const string DefVlans = "1-4094";
    protected const string DefVxlans = "1-10000";
    protected const string DefFwdMode = "bridge";
    protected const string DefArpMode = "proxy";
    protected const string DefPvtSubnet = "172.19.0.0/16";

    protected ObjApiMaster Fixture { get; } = fixture;

    protected RestClient Rest => Fixture.Client;

    public async Task InitializeAsync()
    {
        await Fixture.EnsureRunningAsync();
        await ScrubAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>checkGlobalSet(t, false, "default", "1-4094", "1-10000", "bridge", "proxy", "172.19.0.0/16")</summary>
    protected Task<RestReply> ResetGlobalToDefaults() =>
        CheckGlobalSet(false, DefInfra, DefVlans, DefVxlans, DefFwdMode, DefArpMode, DefPvtSubnet);

    // ------------------------------------------------------------------ scrubbing

    private static readonly string[] ScrubOrder =
    [
        "appProfiles", "serviceLBs", "endpointGroups", "rules", "policys", "netprofiles",
        "extContractsGroups", "networks", "Bgps", "tenants",
    ];

    /// <summary>
    /// Best effort: deletes every object (children first) except tenant `default` and `global`.
    /// Errors are ignored here; the test itself asserts what it needs.
    /// </summary>
    private async Task ScrubAsync()
    {
        for (var pass = 0; pass < 2; pass++)
        {
            var deletedAny = false;
            foreach (var plural in ScrubOrder)
            {
                var list = await Rest.List(plural);
                if (list.Status != HttpStatusCode.OK) continue;
                JsonArray? items;
                try { items = JsonNode.Parse(list.Body) as JsonArray; }
                catch (JsonException) { continue; }
                if (items is null) continue;
                foreach (var item in items)
                {
                    var key = Str(item, "key");
                    if (key.Length == 0 || (plural == "tenants" && key == "default")) continue;
                    var reply = await Rest.Delete(plural, Url(key));
                    deletedAny |= reply.Ok;
                }
            }
            if (!deletedAny) break;
        }
    }

    // ------------------------------------------------------------------ REST wrappers

    /// <summary>
    /// The URL form of a key: every ':'-separated part percent-escaped (so names such as
    /// "tenant#invalid" or "tenant\invalid" reach the master intact), the ':' kept literal.
    /// </summary>
    protected static string Url(string key) => string.Join(":", key.Split(':').Select(Uri.EscapeDataString));

    protected Task<RestReply> Post(string plural, string key, string body) => Rest.Post(plural, Url(key), body);

    protected Task<RestReply> Get(string plural, string key) => Rest.Get(plural, Url(key));

    protected Task<RestReply> Delete(string plural, string key) => Rest.Delete(plural, Url(key));

    protected Task<RestReply> Inspect(string plural, string key) => Rest.Inspect(plural, Url(key));

    // ------------------------------------------------------------------ reply assertions

    /// <summary>Asserts 200 and a JSON object body; returns it.</summary>
    protected static JsonObject ExpectOk(RestReply reply, string what)
    {
        if (reply.Status != HttpStatusCode.OK)
            Assert.Fail($"{what}: expected 200, got {reply}");
        JsonNode? node;
        try { node = JsonNode.Parse(reply.Body); }
        catch (JsonException e) { throw new Xunit.Sdk.XunitException($"{what}: 200 with a body that is not JSON ({e.Message}): {reply.Body}"); }
        if (node is not JsonObject obj)
            throw new Xunit.Sdk.XunitException($"{what}: 200 with a body that is not a JSON object: {reply.Body}");
        return obj;
    }

    /// <summary>Asserts a 4xx plain-text error (exact status when given; mentions case-insensitive).</summary>
    protected static void ExpectError(RestReply reply, string what, HttpStatusCode? status = null, string[]? mentions = null)
    {
        var code = (int)reply.Status;
        if (code is >= 200 and < 300)
            Assert.Fail($"{what}: succeeded while expecting an error: {reply}");
        if (code is < 400 or >= 500)
            Assert.Fail($"{what}: expected a 4xx error, got {reply}");
        if (status is { } expected && reply.Status != expected)
            Assert.Fail($"{what}: expected {(int)expected} {expected}, got {reply}");
        var text = reply.Body.Trim();
        if (text.Length == 0)
            Assert.Fail($"{what}: error {code} with an empty body; expected a plain-text message");
        if (text.StartsWith('{') || text.StartsWith('['))
            Assert.Fail($"{what}: error {code} body is JSON; expected a plain-text message: {reply.Body}");
        foreach (var word in mentions ?? [])
        {
            if (!text.Contains(word, StringComparison.OrdinalIgnoreCase))
                Assert.Fail($"{what}: error message should mention '{word}': {reply}");
        }
    }

    /// <summary>Asserts status 404 (GET/inspect of something that must be gone).</summary>
    protected static void ExpectNotFound(RestReply reply, string what)
    {
        if (reply.Status != HttpStatusCode.NotFound)
            Assert.Fail($"{what}: expected 404, got {reply}");
    }

    /// <summary>DELETE answers 200 with the key as a JSON string.</summary>
    protected static void ExpectDeleted(RestReply reply, string key, string what)
    {
        if (reply.Status != HttpStatusCode.OK)
            Assert.Fail($"{what}: expected 200, got {reply}");
        string? echoed = null;
        try { echoed = (JsonNode.Parse(reply.Body) as JsonValue)?.GetValue<string>(); }
        catch (JsonException) { }
        catch (InvalidOperationException) { }
        catch (FormatException) { }
        if (echoed != key)
            Assert.Fail($"{what}: expected the deleted key \"{key}\" as a JSON string, got {reply.Body}");
    }

    /// <summary>
    /// The part every checkDelete* shares: DELETE the key; when an error is expected assert it (and,
    /// if <paramref name="stillThereWhenRefused"/>, that a refused object is still there) and answer
    /// false; otherwise assert the 200 with the key and that GET now answers 404, and answer true so
    /// the caller can check what else should have forgotten the object.
    /// </summary>
    protected async Task<bool> DeleteAndCheck(bool expectError, string plural, string type, string key,
        HttpStatusCode? status, string[]? mentions, bool stillThereWhenRefused = false)
    {
        var what = $"delete {type} {key}";
        var reply = await Delete(plural, key);
        if (expectError)
        {
            ExpectError(reply, what, status, mentions);
            if (stillThereWhenRefused && reply.Status != HttpStatusCode.NotFound) await GetOk(plural, key);
            return false;
        }
        ExpectDeleted(reply, key, what);
        ExpectNotFound(await Get(plural, key), $"get {type} {key} after delete");
        return true;
    }

    // ------------------------------------------------------------------ comparisons

    protected static void Eq<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            Assert.Fail($"{what}: expected '{expected}', got '{actual}'");
    }

    protected static void SetEq(IEnumerable<string> expected, IEnumerable<string> actual, string what)
    {
        var e = expected.Order(StringComparer.Ordinal).ToArray();
        var a = actual.Order(StringComparer.Ordinal).ToArray();
        if (!e.SequenceEqual(a, StringComparer.Ordinal))
            Assert.Fail($"{what}: expected [{string.Join(", ", e)}], got [{string.Join(", ", a)}]");
    }

    protected static void SeqEq(IEnumerable<string> expected, IEnumerable<string> actual, string what)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        if (!e.SequenceEqual(a, StringComparer.Ordinal))
            Assert.Fail($"{what}: expected [{string.Join(", ", e)}], got [{string.Join(", ", a)}]");
    }

    protected static void Contains(IEnumerable<string> set, string item, string what)
    {
        var all = set.ToArray();
        if (!all.Contains(item, StringComparer.Ordinal))
            Assert.Fail($"{what}: expected '{item}' in [{string.Join(", ", all)}]");
    }

    protected static void DoesNotContain(IEnumerable<string> set, string item, string what)
    {
        var all = set.ToArray();
        if (all.Contains(item, StringComparer.Ordinal))
            Assert.Fail($"{what}: did not expect '{item}' in [{string.Join(", ", all)}]");
    }

    // ------------------------------------------------------------------ JSON helpers

    /// <summary>
    /// A request body like the original Go client sends: fields with empty strings, zero numbers
    /// or empty lists are left out (omitempty).
    /// </summary>
    protected static string Body(params (string Name, object? Value)[] fields)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in fields)
        {
            switch (value)
            {
                case null:
                    break;
                case string s:
                    if (s.Length > 0) obj[name] = JsonValue.Create(s);
                    break;
                case int i:
                    if (i != 0) obj[name] = JsonValue.Create(i);
                    break;
                case IEnumerable<string> list:
                    var array = new JsonArray();
                    foreach (var item in list) array.Add(JsonValue.Create(item));
                    if (array.Count > 0) obj[name] = array;
                    break;
                default:
                    throw new ArgumentException($"unsupported body value for {name}: {value.GetType()}");
            }
        }
        return obj.ToJsonString();
    }

    /// <summary>A string field; "" when absent (the master omits empty strings).</summary>
    protected static string Str(JsonNode? node, string field) =>
        (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>An int field; 0 when absent (the master omits zero numbers).</summary>
    protected static int Int(JsonNode? node, string field)
    {
        if ((node as JsonObject)?[field] is not JsonValue v) return 0;
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<long>(out var l)) return checked((int)l);
        if (v.TryGetValue<double>(out var d)) return checked((int)d);
        throw new Xunit.Sdk.XunitException($"field {field} is not a number: {v.ToJsonString()}");
    }

    /// <summary>A list of strings; empty when absent (the master omits empty lists).</summary>
    protected static string[] List(JsonNode? node, string field) =>
        (node as JsonObject)?[field] is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? "").ToArray() : [];

    protected static JsonObject? Section(JsonNode? node, string name) => (node as JsonObject)?[name] as JsonObject;

    /// <summary>links.&lt;name&gt;.key, "" when the link is unset (<c>{}</c>) or absent.</summary>
    protected static string LinkKey(JsonNode? node, string name) => Str(Section(node, "links")?[name], "key");

    /// <summary>links.&lt;name&gt;.type, "" when unset.</summary>
    protected static string LinkType(JsonNode? node, string name) => Str(Section(node, "links")?[name], "type");

    /// <summary>The keys of link-sets.&lt;name&gt; (empty when absent).</summary>
    protected static string[] LinkSet(JsonNode? node, string name) =>
        Section(Section(node, "link-sets"), name) is { } set ? set.Select(kv => kv.Key).ToArray() : [];

    /// <summary>The link-set entries must be {"type": type, "key": key}.</summary>
    protected static void CheckLinkSetEntries(JsonNode? node, string name, string type, string what)
    {
        if (Section(Section(node, "link-sets"), name) is not { } set) return;
        foreach (var (key, link) in set)
        {
            Eq(key, Str(link, "key"), $"{what}: link-sets.{name}[{key}].key");
            Eq(type, Str(link, "type"), $"{what}: link-sets.{name}[{key}].type");
        }
    }

    /// <summary>GET that must answer 200 with an object.</summary>
    protected async Task<JsonObject> GetOk(string plural, string key) =>
        ExpectOk(await Get(plural, key), $"get {plural} {key}");

    /// <summary>Inspect that must answer 200 with {Config, Oper}; returns (Config, Oper).</summary>
    protected async Task<(JsonObject Config, JsonObject? Oper)> InspectOk(string plural, string key)
    {
        var obj = ExpectOk(await Inspect(plural, key), $"inspect {plural} {key}");
        if (Section(obj, "Config") is not { } config)
            throw new Xunit.Sdk.XunitException($"inspect {plural} {key}: no Config section: {obj.ToJsonString()}");
        return (config, Section(obj, "Oper"));
    }
}
