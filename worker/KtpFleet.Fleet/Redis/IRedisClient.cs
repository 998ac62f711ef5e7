namespace KtpFleet.Fleet.Redis;

/// <summary>
/// The Redis commands the fleet uses (dedupe keys, rate-limit scripts, health). <see cref="RespClient"/> is our own
/// small implementation, standing in for StackExchange.Redis, which cannot be restored here; a swap implements this
/// interface over <c>IDatabase</c>. Unavailability throws <see cref="RedisUnavailableException"/>, server errors
/// <see cref="RedisServerException"/>.
/// </summary>
public interface IRedisClient : IAsyncDisposable
{
    Task<bool> PingAsync(CancellationToken ct = default);
    /// <summary>SET key value NX PX ms: true when the key was set (it did not exist).</summary>
    Task<bool> SetNxPxAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default);
    Task SetPxAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default);
    Task<string?> GetAsync(string key, CancellationToken ct = default);
    Task<long> DelAsync(string key, CancellationToken ct = default);
    Task<long> IncrAsync(string key, CancellationToken ct = default);
    Task<bool> PExpireAsync(string key, TimeSpan ttl, CancellationToken ct = default);
    /// <summary>Runs a Lua script atomically (EVALSHA, loading it with EVAL when the server does not know it).</summary>
    Task<RespValue> RunScriptAsync(LuaScript script, IReadOnlyList<string> keys, IReadOnlyList<string> args, CancellationToken ct = default);
}
