using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using KtpFleet.Operator.Kube;
using Microsoft.Extensions.Logging;

namespace KtpFleet.Operator.Controller;

/// <summary>
/// List, then watch from the list's resourceVersion, keeping a cache of the objects. Bookmarks move the resume
/// point; a dropped watch resumes from the last seen resourceVersion; 410 Gone (history compacted) relists and
/// reports the differences as events, so nothing is missed.
/// </summary>
public sealed class Informer(IKubeClient client, ResourceKind kind, string? ns, ILogger logger,
    TimeProvider? clock = null, int watchTimeoutSeconds = 300)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, JsonObject> _cache = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastProgressTicks;

    public ResourceKind Kind => kind;
    /// <summary>ADDED / MODIFIED / DELETED with the object (the old one for DELETED).</summary>
    public event Action<string, JsonObject>? Changed;

    public Task Synced => _synced.Task;
    public int Relists { get; private set; }
    public int WatchRestarts { get; private set; }
    public string LastResourceVersion { get; private set; } = "";
    /// <summary>When the informer last heard from the server (list, event, bookmark, clean watch end).</summary>
    public DateTimeOffset LastProgress => new(Interlocked.Read(ref _lastProgressTicks), TimeSpan.Zero);

    public static string Key(JsonObject o) => KeyOf((string?)o["metadata"]?["namespace"], (string?)o["metadata"]?["name"] ?? "");
    public static string KeyOf(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    public JsonObject? Get(string key) => _cache.TryGetValue(key, out var o) ? o : null;
    public IReadOnlyList<JsonObject> List() => _cache.Values.ToList();

    private void Progress() => Interlocked.Exchange(ref _lastProgressTicks, _clock.GetUtcNow().UtcTicks);

    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        var needList = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAsync(ct).ConfigureAwait(false);
                    needList = false;
                }
                await foreach (var evt in client.WatchAsync(kind, ns, LastResourceVersion, watchTimeoutSeconds, ct).ConfigureAwait(false))
                {
                    Progress();
                    failures = 0;
                    if (evt.ResourceVersion is { Length: > 0 } rv) LastResourceVersion = rv;
                    if (evt.Type != "BOOKMARK") Apply(evt.Type, evt.Object);
                }
                // The server ended the watch (timeoutSeconds): resume from the last resourceVersion.
                Progress();
                WatchRestarts++;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                logger.LogInformation("watch of {Kind} expired at resourceVersion {Rv}; relisting", kind.Plural, LastResourceVersion);
                needList = true;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or KubeApiException or System.Text.Json.JsonException
                                          or FormatException or OperationCanceledException)
            {
                failures++;
                WatchRestarts++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Min(failures, 10))));
                logger.LogWarning("watch of {Kind} failed ({Error}); retrying in {Delay}", kind.Plural, e.Message, delay);
                try { await Task.Delay(delay, _clock, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task ListAsync(CancellationToken ct)
    {
        var list = await client.ListAsync(kind, ns, ct: ct).ConfigureAwait(false);
        Relists++;
        Progress();
        // What the list no longer holds goes first: a reader of the cache during a relist never sees a listed
        // object beside one deleted before it (the deletions the watch missed are the point of relisting).
        var listed = list.Items.Select(Key).ToHashSet();
        foreach (var gone in _cache.Keys.Where(k => !listed.Contains(k)).ToList())
            if (_cache.TryRemove(gone, out var old)) Changed?.Invoke("DELETED", old);
        foreach (var item in list.Items)
        {
            var key = Key(item);
            var existed = _cache.TryGetValue(key, out var old);
            if (existed && (string?)old!["metadata"]?["resourceVersion"] == (string?)item["metadata"]?["resourceVersion"])
            {
                // Unchanged: still tell the handlers (a relist is also a resync).
                Changed?.Invoke("MODIFIED", item);
                continue;
            }
            _cache[key] = item;
            Changed?.Invoke(existed ? "MODIFIED" : "ADDED", item);
        }
        LastResourceVersion = list.ResourceVersion;
        _synced.TrySetResult();
    }

    private void Apply(string type, JsonObject obj)
    {
        obj["apiVersion"] ??= kind.ApiVersion;
        obj["kind"] ??= kind.Kind;
        var key = Key(obj);
        if (type == "DELETED") _cache.TryRemove(key, out _);
        else _cache[key] = obj;
        Changed?.Invoke(type, obj);
    }
}
