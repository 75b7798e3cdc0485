using System.Net.Sockets;
using System.Text.Json;
using Contiv.Lab.Cri.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Contiv.Lab.Cri;

/// <summary>What a runtime says about one pod sandbox: its state, its pod IPs, and where its network namespace is.</summary>
/// <param name="NetnsPath">the bind-mounted network namespace the runtime made for the pod (the path its CNI plugins got
/// as CNI_NETNS); null when the runtime did not say (containerd says it in the verbose info's runtime spec)</param>
/// <param name="Pid">the sandbox's (pause) process, 0 when not told</param>
public sealed record PodSandboxInfo(string Id, PodSandboxState State, string Ip, IReadOnlyList<string> AdditionalIps, string? NetnsPath, int Pid);

/// <summary>
/// The kubelet's side of CRI, as far as pod networking goes: the pod sandbox calls of runtime.v1's
/// RuntimeService over a runtime's unix socket (HTTP/2 without TLS).
/// </summary>
public sealed class CriClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly RuntimeService.RuntimeServiceClient _runtime;
    private readonly ImageService.ImageServiceClient _images;

    public CriClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // The host part is ignored: every connection goes to the socket.
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
        _runtime = new RuntimeService.RuntimeServiceClient(_channel);
        _images = new ImageService.ImageServiceClient(_channel);
    }

    /// <summary>A deadline for every call: a runtime that hangs fails the caller instead of blocking it.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    private CallOptions Options(CancellationToken cancellation) => new(deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellation);

    public async Task<VersionResponse> VersionAsync(CancellationToken cancellation = default) =>
        await _runtime.VersionAsync(new VersionRequest { Version = "v1" }, Options(cancellation));

    /// <summary>The id of the image the runtime knows by <paramref name="reference"/>, null when it has none.</summary>
    public async Task<string?> ImageIdAsync(string reference, CancellationToken cancellation = default)
    {
        var response = await _images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = reference } }, Options(cancellation));
        return response.Image?.Id;
    }

    /// <summary>Runs a pod sandbox (its pause container and its network) and returns its id.</summary>
    public async Task<string> RunPodSandboxAsync(PodSandboxConfig config, CancellationToken cancellation = default) =>
        (await _runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config }, Options(cancellation))).PodSandboxId;

    public async Task StopPodSandboxAsync(string id, CancellationToken cancellation = default) =>
        await _runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = id }, Options(cancellation));

    public async Task RemovePodSandboxAsync(string id, CancellationToken cancellation = default) =>
        await _runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = id }, Options(cancellation));

    /// <summary>The sandboxes the runtime has (ready or not).</summary>
    public async Task<IReadOnlyList<PodSandbox>> ListPodSandboxesAsync(CancellationToken cancellation = default) =>
        (await _runtime.ListPodSandboxAsync(new ListPodSandboxRequest(), Options(cancellation))).Items;

    /// <summary>The verbose status of a sandbox; null when the runtime has no such sandbox (NotFound).</summary>
    public async Task<PodSandboxInfo?> PodSandboxStatusAsync(string id, CancellationToken cancellation = default)
    {
        PodSandboxStatusResponse response;
        try
        {
            response = await _runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = id, Verbose = true }, Options(cancellation));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        var status = response.Status;
        var (netns, pid) = response.Info.TryGetValue("info", out var info) ? FromInfo(info) : (null, 0);
        return new PodSandboxInfo(status.Id, status.State, status.Network?.Ip ?? "",
            status.Network?.AdditionalIps.Select(ip => ip.Ip).ToList() ?? [], netns, pid);
    }

    /// <summary>containerd's verbose info: <c>{"pid": N, "runtimeSpec": {"linux": {"namespaces": [{"type": "network", "path": ...}]}}}</c>.</summary>
    private static (string? Netns, int Pid) FromInfo(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var pid = root.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 0;
        string? netns = null;
        if (root.TryGetProperty("runtimeSpec", out var spec) && spec.TryGetProperty("linux", out var linux) && linux.TryGetProperty("namespaces", out var namespaces))
        {
            foreach (var ns in namespaces.EnumerateArray())
            {
                if (ns.TryGetProperty("type", out var type) && type.GetString() == "network" && ns.TryGetProperty("path", out var path))
                    netns = path.GetString();
            }
        }
        return (string.IsNullOrEmpty(netns) ? null : netns, pid);
    }

    /// <summary>
    /// A sandbox config the way the kubelet makes one for a pod on the pod network: metadata, hostname, a log
    /// directory, DNS, port mappings, and the pod's namespaces (network, pid, ipc) of its own.
    /// </summary>
    public static PodSandboxConfig PodConfig(string name, string uid, string podNamespace, string logDirectory, uint attempt = 0,
        IEnumerable<PortMapping>? ports = null, IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyDictionary<string, string>? annotations = null, string? cgroupParent = null)
    {
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Uid = uid, Namespace = podNamespace, Attempt = attempt },
            Hostname = name,
            LogDirectory = logDirectory,
            DnsConfig = new DNSConfig { Servers = { "10.96.0.10" }, Searches = { $"{podNamespace}.svc.cluster.local", "svc.cluster.local" }, Options = { "ndots:5" } },
            Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = cgroupParent ?? "",
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Pod, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod },
                },
            },
        };
        config.Labels.Add("io.kubernetes.pod.name", name);
        config.Labels.Add("io.kubernetes.pod.namespace", podNamespace);
        config.Labels.Add("io.kubernetes.pod.uid", uid);
        if (labels is not null) foreach (var (k, v) in labels) config.Labels[k] = v;
        if (annotations is not null) foreach (var (k, v) in annotations) config.Annotations[k] = v;
        if (ports is not null) config.PortMappings.AddRange(ports);
        return config;
    }

    public void Dispose() => _channel.Dispose();
}
