using System.Text.Json.Nodes;

namespace KtpFleet.Operator.Kube;

public sealed record ObjectList(IReadOnlyList<JsonObject> Items, string ResourceVersion);

/// <summary>ADDED, MODIFIED, DELETED or BOOKMARK (ERROR events surface as <see cref="KubeApiException"/>).</summary>
public sealed record WatchEvent(string Type, JsonObject Object)
{
    public string? ResourceVersion => (string?)Object["metadata"]?["resourceVersion"];
}

/// <summary>
/// The Kubernetes API calls the operator makes, on untyped JSON objects. Our own small client stands in for
/// KubernetesClient (not restorable here); this interface is the seam to swap it back in.
/// </summary>
public interface IKubeClient
{
    Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default);

    Task<ObjectList> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, CancellationToken ct = default);

    /// <summary>Watch from <paramref name="resourceVersion"/>; bookmarks requested. A 410 throws <see cref="KubeApiException"/> (IsGone).</summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion,
        int timeoutSeconds = 300, CancellationToken ct = default);

    /// <summary>Server-side apply (PATCH application/apply-patch+yaml; JSON is YAML) of a partial configuration.</summary>
    Task<JsonObject> ApplyAsync(ResourceKind kind, JsonObject configuration, string fieldManager, bool force = true,
        string? subresource = null, CancellationToken ct = default);

    Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct = default);

    /// <summary>PUT; optimistic on metadata.resourceVersion (409 Conflict when stale).</summary>
    Task<JsonObject> ReplaceAsync(ResourceKind kind, JsonObject obj, string? subresource = null, CancellationToken ct = default);

    /// <summary>JSON merge patch (RFC 7386); a metadata.resourceVersion in the patch makes it a precondition.</summary>
    Task<JsonObject> MergePatchAsync(ResourceKind kind, string? ns, string name, JsonObject patch,
        string? subresource = null, CancellationToken ct = default);

    /// <summary>Delete; false when it was already gone.</summary>
    Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default);
}
