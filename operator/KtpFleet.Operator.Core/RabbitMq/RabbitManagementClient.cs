using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace KtpFleet.Operator.RabbitMq;

/// <summary><see cref="IQueueBroker"/> over the RabbitMQ management HTTP API (the operator needs no AMQP connection).</summary>
public sealed class RabbitManagementClient : IQueueBroker, IDisposable
{
    private readonly HttpClient _http;

    public RabbitManagementClient(Uri baseUri, string user, string password, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = baseUri;
        _http.Timeout = TimeSpan.FromSeconds(15);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    private static string E(string s) => Uri.EscapeDataString(s);

    public Task EnsureExchangeAsync(string vhost, string exchange, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"api/exchanges/{E(vhost)}/{E(exchange)}",
            new JsonObject { ["type"] = "direct", ["durable"] = true, ["auto_delete"] = false }, ct);

    public Task EnsureQueueAsync(string vhost, string queue, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"api/queues/{E(vhost)}/{E(queue)}", new JsonObject
        {
            ["durable"] = true,
            ["auto_delete"] = false,
            // Quorum queues: replicated, and redelivery counts for poison messages.
            ["arguments"] = new JsonObject { ["x-queue-type"] = "quorum" },
        }, ct);

    public async Task<IReadOnlyList<string>> GetBindingsAsync(string vhost, string exchange, string queue, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Get, $"api/bindings/{E(vhost)}/e/{E(exchange)}/q/{E(queue)}", null, ct).ConfigureAwait(false);
        return (JsonNode.Parse(body) as JsonArray ?? []).OfType<JsonObject>()
            .Select(b => (string?)b["routing_key"] ?? "").ToList();
    }

    public async Task SyncBindingsAsync(string vhost, string exchange, string queue,
        IReadOnlyCollection<string> routingKeys, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Get, $"api/bindings/{E(vhost)}/e/{E(exchange)}/q/{E(queue)}", null, ct).ConfigureAwait(false);
        var existing = (JsonNode.Parse(body) as JsonArray ?? []).OfType<JsonObject>()
            .Select(b => (Key: (string?)b["routing_key"] ?? "", Props: (string?)b["properties_key"] ?? "")).ToList();
        foreach (var key in routingKeys.Where(k => existing.All(e => e.Key != k)))
            await SendAsync(HttpMethod.Post, $"api/bindings/{E(vhost)}/e/{E(exchange)}/q/{E(queue)}",
                new JsonObject { ["routing_key"] = key }, ct).ConfigureAwait(false);
        foreach (var stale in existing.Where(e => !routingKeys.Contains(e.Key)))
            await SendAsync(HttpMethod.Delete, $"api/bindings/{E(vhost)}/e/{E(exchange)}/q/{E(queue)}/{E(stale.Props)}", null, ct,
                allowNotFound: true).ConfigureAwait(false);
    }

    public async Task<long?> GetDepthAsync(string vhost, string queue, CancellationToken ct)
    {
        using var resp = await _http.GetAsync($"api/queues/{E(vhost)}/{E(queue)}", ct).ConfigureAwait(false);
        if (resp.StatusCode == HttpStatusCode.NotFound) return null;
        var body = await resp.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!resp.IsSuccessStatusCode) throw Error(resp.StatusCode, body, "read queue");
        var q = JsonNode.Parse(body) as JsonObject ?? [];
        // The statistics appear a few seconds after declaration; no figure yet means nothing counted yet.
        return (q["messages_ready"]?.GetValue<long>() ?? 0) + (q["messages_unacknowledged"]?.GetValue<long>() ?? 0);
    }

    public async Task<bool> DeleteQueueAsync(string vhost, string queue, CancellationToken ct)
    {
        using var resp = await _http.DeleteAsync($"api/queues/{E(vhost)}/{E(queue)}", ct).ConfigureAwait(false);
        if (resp.StatusCode == HttpStatusCode.NotFound) return false;
        if (!resp.IsSuccessStatusCode)
            throw Error(resp.StatusCode, await resp.Content.ReadAsStringAsync(ct).ConfigureAwait(false), "delete queue");
        return true;
    }

    private async Task<string> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct,
        bool allowNotFound = false)
    {
        using var req = new HttpRequestMessage(method, path);
        if (body is not null) req.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var resp = await _http.SendAsync(req, ct).ConfigureAwait(false);
        var text = await resp.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (resp.IsSuccessStatusCode || (allowNotFound && resp.StatusCode == HttpStatusCode.NotFound)) return text;
        throw Error(resp.StatusCode, text, $"{method} {path}");
    }

    private static BrokerException Error(HttpStatusCode code, string body, string what)
    {
        string reason = body;
        try { reason = (string?)(JsonNode.Parse(body) as JsonObject)?["reason"] ?? body; } catch (System.Text.Json.JsonException) { }
        return new BrokerException($"RabbitMQ management API: {what} failed ({(int)code}): {reason}", (int)code);
    }

    public void Dispose() => _http.Dispose();
}
