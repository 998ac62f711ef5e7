using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Redis;

namespace KtpFleet.Ingest.Infrastructure;

/// <summary>
/// Redis is an accelerator, never the source of truth: every call through the gate degrades to "no answer" when
/// Redis is down, and after a failure the gate stays shut for a few seconds so uploads don't each wait for a
/// connect timeout.
/// </summary>
public sealed class RedisGate(IRedisClient redis, FleetMetrics metrics, ILogger<RedisGate> log)
{
    private static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(3);
    private long _closedUntilTicks;

    public IRedisClient Client => redis;

    /// <returns>the result, or <paramref name="fallback"/> when Redis is unavailable</returns>
    public async Task<T> TryAsync<T>(string operation, Func<IRedisClient, Task<T>> call, T fallback)
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _closedUntilTicks))
        {
            metrics.RedisFallbacks.Add(1, new KeyValuePair<string, object?>("op", operation));
            return fallback;
        }
        try
        {
            return await call(redis);
        }
        catch (Exception e) when (e is RedisUnavailableException or TimeoutException or RedisServerException)
        {
            Interlocked.Exchange(ref _closedUntilTicks, Environment.TickCount64 + (long)OpenFor.TotalMilliseconds);
            metrics.RedisFallbacks.Add(1, new KeyValuePair<string, object?>("op", operation));
            log.LogWarning("Redis unavailable for {Operation}, continuing without it: {Error}", operation, e.Message);
            return fallback;
        }
    }
}
