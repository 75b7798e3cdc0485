using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Contiv.Master.WebConsole;

/// <summary>
/// The management console's static files, built into the master (embedded resources under <c>console/</c>: plain
/// HTML, CSS and ES modules, no build step), served at <c>/console/</c> without a token: the page logs in itself and
/// sends the token with every API call.
/// </summary>
public sealed class ConsoleAssets
{
    public const string Prefix = "/console";

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    private readonly FrozenDictionary<string, Asset> _assets;

    private ConsoleAssets(FrozenDictionary<string, Asset> assets) => _assets = assets;

    public static ConsoleAssets Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("console/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            assets[name["console/".Length..]] = new Asset(content, ContentType(name), $"\"{Convert.ToHexString(SHA256.HashData(content))[..16]}\"");
        }
        return new ConsoleAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public static bool IsConsole(PathString path) => path.StartsWithSegments(Prefix);

    public IEnumerable<string> Names => _assets.Keys;

    public async Task Handle(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        if (path == Prefix)
        {
            http.Response.Redirect(Prefix + "/");
            return;
        }
        var name = path[(Prefix.Length + 1)..];
        if (name.Length == 0) name = "index.html";
        if (http.Request.Method is not ("GET" or "HEAD"))
        {
            await Plain(http, 405, $"method {http.Request.Method} is not allowed on the console's files; use GET");
            return;
        }
        if (!_assets.TryGetValue(name, out var asset))
        {
            await Plain(http, 404, $"no such console file {path}");
            return;
        }
        http.Response.Headers.ETag = asset.ETag;
        // Revalidated on every load (a 304 costs a round trip, not the file): a master upgrade shows at once.
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        http.Response.Headers["Content-Security-Policy"] =
            "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            http.Response.StatusCode = 304;
            return;
        }
        http.Response.ContentType = asset.ContentType;
        http.Response.ContentLength = asset.Content.Length;
        if (http.Request.Method == "GET") await http.Response.Body.WriteAsync(asset.Content);
    }

    private static async Task Plain(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message + "\n");
    }

    private static string ContentType(string name) => System.IO.Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".ico" => "image/x-icon",
        _ => "application/octet-stream",
    };
}
