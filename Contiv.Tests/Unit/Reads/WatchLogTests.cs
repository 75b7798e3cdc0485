using System.Text;
using System.Text.Json.Nodes;
using Contiv.Master.Watch;
using Contiv.Messages.Model;
using Xunit;

namespace Contiv.Tests.Unit.Reads;

/// <summary>The watch log a console resumes from, and the frames and filtering of the stream, pure.</summary>
public sealed class WatchLogTests
{
    private static readonly Guid Epoch = Guid.NewGuid();

    private static WatchEvent Put(string tenant, string name) =>
        new(WatchEventType.Put, ObjectKind.Network, $"{tenant}:{name}", tenant, new Lazy<string>(() => $$"""{"networkName":"{{name}}"}"""));

    private static WatchLog Filled(int capacity, int events, out List<WatchEvent> numbered)
    {
        var log = WatchLog.Start(Epoch, capacity);
        numbered = [];
        for (var i = 0; i < events; i++)
        {
            log = log.Append([Put("t", "n" + i)], out var these);
            numbered.AddRange(these);
        }
        return log;
    }

    [Fact]
    public void Events_are_numbered_in_order_with_the_epoch_in_their_id()
    {
        var log = Filled(10, 3, out var numbered);
        Assert.Equal([1L, 2L, 3L], numbered.Select(e => e.Seq));
        Assert.Equal($"{Epoch:N}:3", numbered[^1].Id);
        Assert.Equal(numbered[^1].Id, log.LastId);
    }

    [Fact]
    public void A_watcher_resumes_with_exactly_the_events_after_its_last_one()
    {
        var log = Filled(10, 5, out var numbered);
        var resume = log.Resume(numbered[1].Id);
        Assert.True(resume.Complete);
        Assert.Equal(["t:n2", "t:n3", "t:n4"], resume.Events.Select(e => e.Key!));
        Assert.Empty(log.Resume(log.LastId).Events);
        Assert.True(log.Resume(null).Complete);
    }

    [Fact]
    public void A_watcher_that_missed_more_than_the_log_keeps_or_comes_from_another_epoch_must_resync()
    {
        var log = Filled(3, 10, out var numbered);
        Assert.False(log.Resume(numbered[2].Id).Complete); // 4..10 missed, 8..10 kept
        Assert.True(log.Resume(numbered[6].Id).Complete);  // 8..10 missed, all kept
        Assert.Equal(3, log.Resume(numbered[6].Id).Events.Length);
        Assert.False(log.Resume($"{Guid.NewGuid():N}:2").Complete);
        Assert.False(log.Resume($"{Epoch:N}:99").Complete); // from the future: not this master's
        Assert.False(log.Resume("garbage").Complete);
        Assert.False(log.Resume($"{Epoch:N}:x").Complete);
    }

    [Fact]
    public void A_frame_is_one_sse_event_with_its_id_type_and_the_object_as_json()
    {
        var log = WatchLog.Start(Epoch, 10).Append([Put("blue", "web")], out var numbered);
        var text = Encoding.UTF8.GetString(WatchStream.Frame(numbered[0]));
        Assert.EndsWith("\n\n", text);
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal([$"id: {log.LastId}", "event: put"], lines[..2]);
        var data = JsonNode.Parse(lines[2]["data: ".Length..])!;
        Assert.Equal("networks", data["kind"]!.GetValue<string>());
        Assert.Equal("blue:web", data["key"]!.GetValue<string>());
        Assert.Equal("web", data["object"]!["networkName"]!.GetValue<string>());
    }

    [Fact]
    public void A_caller_sees_its_tenants_events_and_cluster_wide_ones_only()
    {
        var blue = Put("blue", "a");
        var red = Put("red", "b");
        var nodes = new WatchEvent(WatchEventType.Nodes);
        var onlyBlue = new HashSet<string> { "blue" };
        Assert.True(WatchStream.Visible(blue, onlyBlue));
        Assert.False(WatchStream.Visible(red, onlyBlue));
        Assert.False(WatchStream.Visible(new WatchEvent(WatchEventType.Tenant, Tenant: "red"), onlyBlue));
        Assert.True(WatchStream.Visible(nodes, onlyBlue));
        Assert.True(WatchStream.Visible(red, null)); // an admin
    }
}
