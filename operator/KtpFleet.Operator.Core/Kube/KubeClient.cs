using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace KtpFleet.Operator.Kube;

/// <summary><see cref="IKubeClient"/> over HttpClient; authentication and TLS come from <see cref="KubeConnection"/>.</summary>
public sealed class KubeClient : IKubeClient, IDisposable
{
    private readonly HttpClient _http;

    /// <summary>
    /// Limit for every call but watches (the HttpClient has none, for the sake of watches): a hung request must
    /// fail and be retried, not stall a reconcile worker for good.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    private CancellationTokenSource Limit(CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(RequestTimeout);
        return cts;
    }

    public KubeClient(KubeConnection connection)
    {
        _http = connection.CreateHttpClient();
    }

    public KubeClient(HttpClient http) => _http = http;

    public async Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default)
    {
        using var lim = Limit(ct);
        using var resp = await _http.GetAsync(kind.Path(ns, name), lim.Token).ConfigureAwait(false);
        if (resp.StatusCode == HttpStatusCode.NotFound) return null;
        return await ReadObjectAsync(resp, lim.Token).ConfigureAwait(false);
    }

    public async Task<ObjectList> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken ct = default)
    {
        using var lim = Limit(ct);
        var url = kind.Path(ns);
        if (labelSelector is not null) url += "?labelSelector=" + Uri.EscapeDataString(labelSelector);
        using var resp = await _http.GetAsync(url, lim.Token).ConfigureAwait(false);
        var list = await ReadObjectAsync(resp, lim.Token).ConfigureAwait(false);
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i =>
        {
            // List items carry no apiVersion/kind; fill them so consumers see whole objects.
            var o = (JsonObject)i.DeepClone();
            o["apiVersion"] ??= kind.ApiVersion;
            o["kind"] ??= kind.Kind;
            return o;
        }).ToList();
        return new ObjectList(items, (string?)list["metadata"]?["resourceVersion"] ?? "");
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion,
        int timeoutSeconds = 300, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var url = $"{kind.Path(ns)}?watch=true&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds}" +
                  $"&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        using var resp = await _http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!resp.IsSuccessStatusCode)
            throw KubeApiException.FromStatus(resp.StatusCode, await resp.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        await using var stream = await resp.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0) continue;
            var evt = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("watch event is not an object");
            var type = (string?)evt["type"] ?? "";
            var obj = evt["object"] as JsonObject ?? new JsonObject();
            if (type == "ERROR")
                throw KubeApiException.FromStatus(HttpStatusCode.InternalServerError, obj.ToJsonString());
            yield return new WatchEvent(type, obj);
        }
    }

    public async Task<JsonObject> ApplyAsync(ResourceKind kind, JsonObject configuration, string fieldManager,
        bool force = true, string? subresource = null, CancellationToken ct = default)
    {
        using var lim = Limit(ct);
        var (ns, name) = NameOf(configuration);
        var url = kind.Path(ns, name, subresource) + $"?fieldManager={Uri.EscapeDataString(fieldManager)}&force={(force ? "true" : "false")}";
        using var content = new StringContent(configuration.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        using var resp = await _http.PatchAsync(url, content, lim.Token).ConfigureAwait(false);
        return await ReadObjectAsync(resp, lim.Token).ConfigureAwait(false);
    }

    public async Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct = default)
    {
        using var lim = Limit(ct);
        using var content = Json(obj, "application/json");
        using var resp = await _http.PostAsync(kind.Path(ns), content, lim.Token).ConfigureAwait(false);
        return await ReadObjectAsync(resp, lim.Token).ConfigureAwait(false);
    }

    public async Task<JsonObject> ReplaceAsync(ResourceKind kind, JsonObject obj, string? subresource = null, CancellationToken ct = default)
    {
        using var lim = Limit(ct);
        var (ns, name) = NameOf(obj);
        using var content = Json(obj, "application/json");
        using var resp = await _http.PutAsync(kind.Path(ns, name, subresource), content, lim.Token).ConfigureAwait(false);
        return await ReadObjectAsync(resp, lim.Token).ConfigureAwait(false);
    }

    public async Task<JsonObject> MergePatchAsync(ResourceKind kind, string? ns, string name, JsonObject patch,
        string? subresource = null, CancellationToken ct = default)
    {
        using var lim = Limit(ct);
        using var content = Json(patch, "application/merge-patch+json");
        using var resp = await _http.PatchAsync(kind.Path(ns, name, subresource), content, lim.Token).ConfigureAwait(false);
        return await ReadObjectAsync(resp, lim.Token).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default)
    {
        using var lim = Limit(ct);
        using var resp = await _http.DeleteAsync(kind.Path(ns, name), lim.Token).ConfigureAwait(false);
        if (resp.StatusCode == HttpStatusCode.NotFound) return false;
        await ReadObjectAsync(resp, lim.Token).ConfigureAwait(false);
        return true;
    }

    private static StringContent Json(JsonObject obj, string mediaType)
    {
        var content = new StringContent(obj.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static (string? Ns, string Name) NameOf(JsonObject obj) =>
        ((string?)obj["metadata"]?["namespace"],
         (string?)obj["metadata"]?["name"] ?? throw new ArgumentException("object has no metadata.name"));

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage resp, CancellationToken ct)
    {
        var body = await resp.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!resp.IsSuccessStatusCode) throw KubeApiException.FromStatus(resp.StatusCode, body);
        return JsonNode.Parse(body) as JsonObject ?? throw new FormatException("the API server sent no object");
    }

    public void Dispose() => _http.Dispose();
}
