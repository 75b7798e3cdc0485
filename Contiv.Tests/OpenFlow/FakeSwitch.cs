using System.Net;
using System.Net.Sockets;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;

namespace Contiv.Tests.OpenFlow;

/// <summary>A scripted "switch" on 127.0.0.1 for one connection: the test decides what it sends.</summary>
public sealed class FakeSwitch : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _script;

    public string Target => $"tcp:127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public FakeSwitch(Func<NetworkStream, Task> script)
    {
        _listener.Start();
        _script = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync();
            await script(client.GetStream());
        });
    }

    /// <summary>Reads one whole message the client sent.</summary>
    public static async Task<OfpEnvelope> ReadAsync(NetworkStream stream)
    {
        var header = new byte[8];
        await stream.ReadExactlyAsync(header);
        var body = new byte[OpenFlowCodec.FrameLength(header)];
        header.CopyTo(body, 0);
        await stream.ReadExactlyAsync(body.AsMemory(8));
        return OpenFlowCodec.Decode(body);
    }

    public static Task SendAsync(NetworkStream stream, OfpMessage message, uint xid) =>
        stream.WriteAsync(OpenFlowCodec.Encode(message, xid)).AsTask();

    /// <summary>Hello both ways, then answers the features request.</summary>
    public static async Task HandshakeAsync(NetworkStream stream)
    {
        await SendAsync(stream, new Hello(), 1);
        await ReadAsync(stream); // hello
        var features = await ReadAsync(stream);
        await SendAsync(stream, new FeaturesReply(0xabc, 0, 254, 0, 0), features.Xid);
    }

    /// <summary>Keeps the connection open until the client closes it.</summary>
    public static async Task DrainAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer) > 0) { }
        }
        catch (IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try { await _script.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { /* the script's own failures show in the test */ }
    }
}
