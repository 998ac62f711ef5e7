using System.Net;
using System.Text.Json;
using KtpFleet.Fleet.Tests.Infrastructure;

namespace KtpFleet.Fleet.Tests;

/// <summary>
/// Redis stopped for real (scripts/services.sh stop redis): uploads keep working, dedupe falls back to PostgreSQL's
/// unique key, rate limiting fails open; Redis is started again afterwards.
/// </summary>
public sealed class RedisDownTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly TestVhost _vhost = new();
    private IngestHost _api = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        await Services.EnsureRunningAsync();
        await Task.WhenAll(_db.InitializeAsync(), _vhost.InitializeAsync());
        _api = await IngestHost.StartAsync(new FleetSettings { Postgres = _db.ConnectionString, Amqp = _vhost.Amqp });
        _key = await _api.CreateTenantAsync();
    }

    public async Task DisposeAsync()
    {
        await Services.RunScriptAsync("start", "redis");
        await _api.DisposeAsync();
        await Task.WhenAll(_db.DisposeAsync(), _vhost.DisposeAsync());
    }

    [Fact]
    public async Task Uploads_work_and_dedupe_falls_back_to_postgres_when_redis_is_down()
    {
        using var http = _api.Client(_key);
        var before = TestImages.NoisePng(100, 100, 4242);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(before))).StatusCode);

        await Services.RunScriptAsync("stop", "redis");
        Assert.False(Services.IsOpen(Services.RedisPort));

        var image = TestImages.NoisePng(100, 100, 4343);
        var first = await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(image));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var again = await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(image));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Id(await first.Content.ReadAsStringAsync()), Id(await again.Content.ReadAsStringAsync()));
        // Seen before the outage: Redis would have answered, Postgres does now.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(before))).StatusCode);

        var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.StartsWith("unavailable", JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("redis").GetString());
        var metrics = await (await http.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Matches(@"ktp_redis_unavailable_total\{op=""[a-z_]+""\} [1-9]", metrics);

        await Services.RunScriptAsync("start", "redis");
        await IngestApiTests.WaitFor(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(TestImages.NoisePng(100, 100, 4444)))).StatusCode);
    }

    private static Guid Id(string json) => JsonDocument.Parse(json).RootElement.GetProperty("job_id").GetGuid();
}
