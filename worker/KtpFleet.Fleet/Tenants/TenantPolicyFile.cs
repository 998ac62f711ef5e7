using System.Text.Json;
using System.Text.Json.Serialization;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Fleet.Tenants;

/// <summary>
/// Tenant policies from a JSON file, reloaded when the file changes (a ConfigMap update replaces the file through a
/// symlink swap, so the modification time and size are polled rather than trusting file-system events). A file
/// that fails to parse keeps the last good policies: a bad edit must not take the fleet down.
/// <code>{ "default": { ... }, "tenants": { "acme": { "rate_limit_per_second": 50, "verdict": { ... } } } }</code>
/// </summary>
public sealed class TenantPolicyFile : IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    private readonly string? _path;
    private readonly Timer? _timer;
    private volatile Snapshot _current = new(TenantPolicy.Default, new Dictionary<string, TenantPolicy>());
    private (DateTime, long) _stamp;

    public TenantPolicyFile(string? path, TimeSpan? pollInterval = null)
    {
        _path = path;
        if (path is null) return;
        Reload();
        var every = pollInterval ?? TimeSpan.FromSeconds(2);
        _timer = new Timer(_ => Reload(), null, every, every);
    }

    /// <summary>Raised after a successful reload that changed something; argument = number of tenant entries.</summary>
    public event Action<int>? Reloaded;
    /// <summary>Raised when the file could not be read or parsed (the previous policies stay in force).</summary>
    public event Action<Exception>? ReloadFailed;

    public TenantPolicy For(string tenantId) =>
        _current.Tenants.TryGetValue(tenantId, out var p) ? p : _current.Default;

    public void Reload()
    {
        if (_path is null) return;
        try
        {
            var info = new FileInfo(_path);
            if (!info.Exists) return;
            var stamp = (info.LastWriteTimeUtc, info.Length);
            if (stamp == _stamp) return;
            var doc = JsonSerializer.Deserialize<PolicyDocument>(File.ReadAllText(_path), Json) ?? new PolicyDocument();
            var @default = doc.Default?.ToPolicy(TenantPolicy.Default) ?? TenantPolicy.Default;
            var tenants = (doc.Tenants ?? []).ToDictionary(kv => kv.Key, kv => kv.Value.ToPolicy(@default));
            _current = new Snapshot(@default, tenants);
            _stamp = stamp;
            Reloaded?.Invoke(tenants.Count);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            ReloadFailed?.Invoke(e);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private sealed record Snapshot(TenantPolicy Default, IReadOnlyDictionary<string, TenantPolicy> Tenants);

    private sealed class PolicyDocument
    {
        public PolicyEntry? Default { get; set; }
        public Dictionary<string, PolicyEntry>? Tenants { get; set; }
    }

    /// <summary>Every member optional: what a tenant entry leaves out comes from the file's default entry.</summary>
    private sealed class PolicyEntry
    {
        public long? MinImageBytes { get; set; }
        public long? MaxImageBytes { get; set; }
        public long? MaxImagePixels { get; set; }
        public int? RateLimitPerSecond { get; set; }
        public int? IpRateLimitPerSecond { get; set; }
        public double? DedupeWindowSeconds { get; set; }
        public VerdictEntry? Verdict { get; set; }

        public TenantPolicy ToPolicy(TenantPolicy b) => new()
        {
            MinImageBytes = MinImageBytes ?? b.MinImageBytes,
            MaxImageBytes = MaxImageBytes ?? b.MaxImageBytes,
            MaxImagePixels = MaxImagePixels ?? b.MaxImagePixels,
            RateLimitPerSecond = RateLimitPerSecond ?? b.RateLimitPerSecond,
            IpRateLimitPerSecond = IpRateLimitPerSecond ?? b.IpRateLimitPerSecond,
            DedupeWindow = DedupeWindowSeconds is { } s ? TimeSpan.FromSeconds(s) : b.DedupeWindow,
            Verdict = Verdict?.ToPolicy(b.Verdict) ?? b.Verdict,
        };
    }

    private sealed class VerdictEntry
    {
        public double? AutoAcceptConfidence { get; set; }
        public Dictionary<string, double>? FieldConfidence { get; set; }
        public List<string>? RequiredFields { get; set; }
        public bool? FailedCheckForcesReview { get; set; }

        public VerdictPolicy ToPolicy(VerdictPolicy b) => b with
        {
            AutoAcceptConfidence = AutoAcceptConfidence ?? b.AutoAcceptConfidence,
            FieldConfidence = FieldConfidence ?? b.FieldConfidence,
            RequiredFields = RequiredFields ?? b.RequiredFields,
            FailedCheckForcesReview = FailedCheckForcesReview ?? b.FailedCheckForcesReview,
        };
    }
}
