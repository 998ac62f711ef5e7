using KtpFleet.Ingest.Infrastructure;

namespace KtpFleet.Ingest.Intake;

/// <summary>
/// The fast path of dedupe: content hash / Idempotency-Key to job id, written only after the job row committed, so
/// a hit always names a real job. A miss (or Redis down) goes to Postgres, which decides for certain.
/// </summary>
public sealed class DedupeCache(RedisGate redis)
{
    public static string ContentKey(string tenant, string sha256Hex) => $"dd:{tenant}:sha256:{sha256Hex}";
    public static string IdempotencyKey(string tenant, string key) => $"dd:{tenant}:idem:{key}";

    public async Task<Guid?> FindAsync(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            var hit = await redis.TryAsync("dedupe_get", r => r.GetAsync(key), null);
            if (hit is not null && Guid.TryParse(hit, out var id)) return id;
        }
        return null;
    }

    public async Task RememberAsync(IEnumerable<string> keys, Guid jobId, TimeSpan window)
    {
        foreach (var key in keys)
            await redis.TryAsync("dedupe_set", async r => { await r.SetPxAsync(key, jobId.ToString(), window); return true; }, false);
    }
}
