using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Tenants;
using KtpFleet.Ingest.Infrastructure;
using KtpFleet.Ingest.Intake;

namespace KtpFleet.Ingest.Endpoints;

/// <summary>The per-tenant and per-client-IP upload limit, shared by the single and the batch upload.</summary>
internal static class UploadRateLimit
{
    /// <returns>the 429 to answer with, or null when the upload may proceed</returns>
    public static async Task<IResult?> RejectIfLimitedAsync(HttpContext http, string tenant, TenantPolicy policy, RateLimiter limiter, FleetMetrics metrics)
    {
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var rate = await limiter.CheckAsync(tenant, ip, policy.RateLimitPerSecond, policy.IpRateLimitPerSecond);
        if (rate.Allowed) return null;
        metrics.JobsRateLimited.Add(1, new("tenant", tenant), new("scope", rate.Scope));
        return new ApiError(429, "rate_limited", "Too many uploads", $"the {rate.Scope} limit is reached").ToResult(retryAfter: rate.RetryAfter);
    }
}
