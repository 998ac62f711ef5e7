using System.Collections.Concurrent;
using KtpFleet.Fleet.Storage;
using KtpFleet.Fleet.Tenants;

namespace KtpFleet.Ingest.Infrastructure;

/// <summary>
/// Resolves the API key of a request to its tenant. Valid keys are cached for a minute so the hot path does not hit
/// Postgres; unknown keys are not cached (a flood of bad keys cannot fill memory).
/// </summary>
public sealed class TenantAuth(TenantStore tenants)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (string Tenant, long ExpiresAt)> _cache = new();

    public const string TenantItem = "ktp.tenant";

    public static string TenantOf(HttpContext http) => (string)http.Items[TenantItem]!;

    public async Task<string?> AuthenticateAsync(HttpRequest request, CancellationToken ct)
    {
        var text = request.Headers["X-Api-Key"].ToString();
        if (text.Length == 0 && request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            text = auth[7..].Trim();
        if (!ApiKey.TryParse(text, out var key)) return null;
        if (_cache.TryGetValue(text, out var hit) && hit.ExpiresAt > Environment.TickCount64) return hit.Tenant;
        var tenant = await tenants.AuthenticateAsync(key, ct);
        if (tenant is not null) _cache[text] = (tenant, Environment.TickCount64 + (long)CacheFor.TotalMilliseconds);
        return tenant;
    }
}

/// <summary>Every /v1 endpoint: authenticate (401 problem otherwise), then hand the tenant to the handler.</summary>
public sealed class RequireTenantFilter(TenantAuth auth) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        string? tenant;
        try
        {
            tenant = await auth.AuthenticateAsync(http.Request, http.RequestAborted);
        }
        catch (Npgsql.NpgsqlException e)
        {
            return ApiError.Unavailable(e.Message).ToResult();
        }
        if (tenant is null) return ApiError.Unauthorized.ToResult();
        http.Items[TenantAuth.TenantItem] = tenant;
        using (Serilog.Context.LogContext.PushProperty("tenant", tenant))
        {
            try
            {
                return await next(context);
            }
            catch (ApiException e)
            {
                return e.Error.ToResult();
            }
        }
    }
}
