using KtpFleet.Fleet.Redis;
using KtpFleet.Fleet.Tests.Infrastructure;

namespace KtpFleet.Fleet.Tests;

/// <summary>The RESP client against the real redis-server of scripts/services.sh.</summary>
public sealed class RespClientTests : IAsyncLifetime
{
    private readonly string _prefix = "test:" + Guid.NewGuid().ToString("N")[..8] + ":";
    private RespClient _redis = null!;

    public async Task InitializeAsync()
    {
        await Services.EnsureRunningAsync("redis");
        _redis = new RespClient("127.0.0.1", Services.RedisPort);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Ping_answers_pong() => Assert.True(await _redis.PingAsync());

    [Fact]
    public async Task Set_nx_px_sets_once_and_expires()
    {
        var key = _prefix + "nx";
        Assert.True(await _redis.SetNxPxAsync(key, "first", TimeSpan.FromMilliseconds(300)));
        Assert.False(await _redis.SetNxPxAsync(key, "second", TimeSpan.FromMilliseconds(300)));
        Assert.Equal("first", await _redis.GetAsync(key));
        await Task.Delay(450);
        Assert.Null(await _redis.GetAsync(key));
        Assert.True(await _redis.SetNxPxAsync(key, "third", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Incr_del_pexpire()
    {
        var key = _prefix + "n";
        Assert.Equal(1, await _redis.IncrAsync(key));
        Assert.Equal(2, await _redis.IncrAsync(key));
        Assert.True(await _redis.PExpireAsync(key, TimeSpan.FromMilliseconds(200)));
        Assert.False(await _redis.PExpireAsync(_prefix + "missing", TimeSpan.FromSeconds(1)));
        Assert.Equal(1, await _redis.DelAsync(key));
        Assert.Equal(0, await _redis.DelAsync(key));
        Assert.Null(await _redis.GetAsync(key));
    }

    [Fact]
    public async Task Binary_safe_and_unicode_values_round_trip()
    {
        var value = "NIK\r\n$*:+-ünï" + new string('x', 100_000);
        await _redis.SetPxAsync(_prefix + "big", value, TimeSpan.FromSeconds(10));
        Assert.Equal(value, await _redis.GetAsync(_prefix + "big"));
    }

    [Fact]
    public async Task Server_errors_are_typed()
    {
        await _redis.SetPxAsync(_prefix + "s", "not a number", TimeSpan.FromSeconds(10));
        var e = await Assert.ThrowsAsync<RedisServerException>(() => _redis.IncrAsync(_prefix + "s"));
        Assert.Contains("not an integer", e.Message);
        Assert.Equal(1, await _redis.IncrAsync(_prefix + "after-error")); // the connection survives an error reply
    }

    [Fact]
    public async Task Eval_and_evalsha_with_noscript_fallback()
    {
        var script = new LuaScript("return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1])} -- " + Guid.NewGuid());
        await Assert.ThrowsAsync<RedisServerException>(() => _redis.EvalShaAsync(script.Sha1, [_prefix + "e"], ["a"]));
        var first = (await _redis.RunScriptAsync(script, [_prefix + "e"], ["a"])).AsArray();
        Assert.Equal(_prefix + "e", first[0].AsString());
        Assert.Equal("a", first[1].AsString());
        Assert.Equal(1, first[2].AsInteger());
        var second = (await _redis.EvalShaAsync(script.Sha1, [_prefix + "e"], ["b"])).AsArray(); // now cached by the server
        Assert.Equal(2, second[2].AsInteger());
    }

    [Fact]
    public async Task Concurrent_commands_are_pipelined_and_each_gets_its_own_reply()
    {
        // A generous timeout: this machine's cores are shared, and the point here is reply matching, not speed.
        await using var redis = new RespClient("127.0.0.1", Services.RedisPort, TimeSpan.FromSeconds(60));
        var tasks = Enumerable.Range(0, 2000).Select(async i =>
        {
            var key = _prefix + "p" + (i % 50);
            await redis.IncrAsync(key);
            await redis.SetPxAsync(_prefix + "v" + i, "value-" + i, TimeSpan.FromSeconds(30));
            return (i, await redis.GetAsync(_prefix + "v" + i));
        }).ToList();
        foreach (var (i, value) in await Task.WhenAll(tasks)) Assert.Equal("value-" + i, value);
        for (var k = 0; k < 50; k++) Assert.Equal("40", await redis.GetAsync(_prefix + "p" + k));
    }

    [Fact]
    public async Task Reconnects_after_the_server_drops_the_connection()
    {
        await _redis.SetPxAsync(_prefix + "r", "before", TimeSpan.FromSeconds(30));
        // Kill every connection of this client from a second connection.
        await using (var admin = new RespClient("127.0.0.1", Services.RedisPort))
            await admin.ExecuteAsync(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]);
        string? value = null;
        for (var attempt = 0; attempt < 3 && value is null; attempt++)
        {
            try { value = await _redis.GetAsync(_prefix + "r"); }
            catch (RedisUnavailableException) { /* the first command may hit the dead socket */ }
        }
        Assert.Equal("before", value);
    }

    [Fact]
    public async Task Unreachable_server_fails_fast_with_a_typed_error()
    {
        await using var nowhere = new RespClient("127.0.0.1", 1, TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => nowhere.PingAsync());
    }
}
