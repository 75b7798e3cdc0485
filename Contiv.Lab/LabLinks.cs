namespace Contiv.Lab;

/// <summary>
/// The network namespaces, bridges and veth pairs a lab makes, kept by the names it gave them and removed by
/// those names at teardown, or when the test process exits without one (they would stay on the machine; the
/// lab's daemons go with OvsSandbox's and LabProcess's own nets).
/// </summary>
public sealed class LabLinks
{
    private readonly List<string> _namespaces = [];
    private readonly List<string> _links = [];

    public LabLinks() => Live[this] = 0;

    public IReadOnlyList<string> Namespaces => [.. _namespaces];

    /// <summary>The links made in the root namespace (bridges, veth ends).</summary>
    public IReadOnlyList<string> Links => [.. _links];

    public async Task BridgeAsync(string name, string? address)
    {
        await LabCommands.Run("ip", "link", "add", name, "type", "bridge");
        _links.Add(name);
        if (address is not null) await LabCommands.Run("ip", "addr", "add", address, "dev", name);
        await LabCommands.Run("ip", "link", "set", name, "up");
    }

    /// <summary>A namespace with lo up. <paramref name="removeFirst"/>: removed before the others (a container before its host).</summary>
    public async Task NamespaceAsync(string ns, bool removeFirst = false)
    {
        await LabCommands.Run("ip", "netns", "add", ns);
        if (removeFirst) _namespaces.Insert(0, ns);
        else _namespaces.Add(ns);
        await LabCommands.Run("ip", "-n", ns, "link", "set", "lo", "up");
    }

    /// <summary>A veth pair: one end on <paramref name="bridge"/> in the root namespace, the other in <paramref name="ns"/> (with <paramref name="address"/>), both up.</summary>
    public async Task VethAsync(string rootEnd, string nsEnd, string bridge, string ns, string? address = null)
    {
        await LabCommands.Run("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", nsEnd);
        _links.Add(rootEnd);
        await LabCommands.Run("ip", "link", "set", nsEnd, "netns", ns);
        await LabCommands.Run("ip", "link", "set", rootEnd, "master", bridge);
        await LabCommands.Run("ip", "link", "set", rootEnd, "up");
        if (address is not null) await LabCommands.Run("ip", "-n", ns, "addr", "add", address, "dev", nsEnd);
        await LabCommands.Run("ip", "-n", ns, "link", "set", nsEnd, "up");
    }

    /// <summary>Deletes everything by name (synchronous: it also runs at process exit).</summary>
    public void Remove()
    {
        Live.TryRemove(this, out _);
        foreach (var ns in _namespaces) LabCommands.Exec(TimeSpan.FromSeconds(10), "ip", "netns", "del", ns).Wait();
        foreach (var link in _links.AsEnumerable().Reverse()) LabCommands.Exec(TimeSpan.FromSeconds(10), "ip", "link", "del", link).Wait();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<LabLinks, byte> Live = new();

    static LabLinks()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var links in Live.Keys) links.Remove();
        };
    }
}
