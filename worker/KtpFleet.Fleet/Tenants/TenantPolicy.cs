using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Fleet.Tenants;

/// <summary>
/// Per-tenant limits and thresholds (the operator renders these into a ConfigMap; both the API and the workers read
/// the same file). Defaults apply to tenants the file does not mention.
/// </summary>
public sealed record TenantPolicy
{
    public long MinImageBytes { get; init; } = 10 * 1024;
    public long MaxImageBytes { get; init; } = 10 * 1024 * 1024;
    public long MaxImagePixels { get; init; } = 40_000_000;
    /// <summary>Uploads per second allowed for the tenant (fixed one-second windows in Redis).</summary>
    public int RateLimitPerSecond { get; init; } = 2000;
    /// <summary>Uploads per second allowed per client IP.</summary>
    public int IpRateLimitPerSecond { get; init; } = 2000;
    public TimeSpan DedupeWindow { get; init; } = TimeSpan.FromHours(24);
    public VerdictPolicy Verdict { get; init; } = VerdictPolicy.Default;

    public static TenantPolicy Default { get; } = new();
}
