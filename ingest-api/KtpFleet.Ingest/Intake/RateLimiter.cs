using KtpFleet.Fleet.Redis;
using KtpFleet.Ingest.Infrastructure;

namespace KtpFleet.Ingest.Intake;

public sealed record RateDecision(bool Allowed, string? Scope, TimeSpan RetryAfter)
{
    public static RateDecision Allow { get; } = new(true, null, TimeSpan.Zero);
}

/// <summary>
/// Fixed one-second windows per tenant and per client IP, counted in Redis by one Lua script so both checks are
/// atomic and cost one round trip. When Redis is down the limiter fails open (uploads are accepted unlimited):
/// losing uploads is worse than a burst, and the database still bounds throughput.
/// </summary>
public sealed class RateLimiter(RedisGate redis)
{
    private static readonly LuaScript Script = new("""
        for i = 1, #KEYS do
          local n = redis.call('INCR', KEYS[i])
          if n == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
          if n > tonumber(ARGV[i + 1]) then
            return {i, redis.call('PTTL', KEYS[i])}
          end
        end
        return {0, 0}
        """);

    private static readonly string[] Scopes = ["tenant", "ip"];

    public Task<RateDecision> CheckAsync(string tenant, string clientIp, int tenantLimit, int ipLimit) =>
        redis.TryAsync("rate_limit", async r =>
        {
            var reply = (await r.RunScriptAsync(Script, [$"rl:t:{tenant}", $"rl:ip:{clientIp}"],
                ["1000", tenantLimit.ToString(), ipLimit.ToString()])).AsArray();
            var which = (int)reply[0].AsInteger();
            if (which == 0) return RateDecision.Allow;
            var ms = Math.Max(reply[1].AsInteger(), 1);
            return new RateDecision(false, Scopes[which - 1], TimeSpan.FromMilliseconds(ms));
        }, RateDecision.Allow);
}
