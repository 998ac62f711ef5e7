using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Storage.Images;
using KtpFleet.Fleet.Tests.Infrastructure;
using KtpFleet.Ocr;
using KtpFleet.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace KtpFleet.Fleet.Tests;

/// <summary>
/// The worker's queue discipline on real RabbitMQ/PostgreSQL/Redis, with the API in front: retries with backoff,
/// dead-lettering, permanent failures, redelivery of finished jobs, graceful drain.
/// </summary>
public sealed class WorkerTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly TestVhost _vhost = new();
    private readonly ScriptedExtractor _extractor = new();
    private IngestHost _api = null!;
    private string _key = "";
    private static int _seed = 5000;

    // The segment image store, as ./ktp up runs it: the API writes, separate worker processes read.
    private readonly string _images = Path.Combine(Path.GetTempPath(), $"ktp-images-{Guid.NewGuid():N}");
    private FleetSettings Settings => new() { Postgres = _db.ConnectionString, Amqp = _vhost.Amqp, ImageStore = "segments:" + _images };
    private static readonly WorkerOptions Options = new() { Engines = 2, MaxAttempts = 3, RetryBase = TimeSpan.FromMilliseconds(200), DrainTimeout = TimeSpan.FromSeconds(20), Name = "test-worker" };

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_db.InitializeAsync(), _vhost.InitializeAsync(), Services.EnsureRunningAsync("redis"));
        _api = await IngestHost.StartAsync(Settings);
        _key = await _api.CreateTenantAsync();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await Task.WhenAll(_db.DisposeAsync(), _vhost.DisposeAsync());
        if (Directory.Exists(_images)) Directory.Delete(_images, recursive: true);
    }

    private async Task<(Guid Id, string ImageKey)> UploadAsync()
    {
        var image = TestImages.NoisePng(100, 100, Interlocked.Increment(ref _seed));
        using var http = _api.Client(_key);
        var r = await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(image));
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var id = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetGuid();
        return (id, ScriptedExtractor.KeyOf(image));
    }

    private async Task<JsonElement> WaitForFinalAsync(Guid id, TimeSpan? timeout = null)
    {
        using var http = _api.Client(_key);
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var job = JsonDocument.Parse(await http.GetStringAsync($"/v1/ktp-jobs/{id}")).RootElement;
            if (job.GetProperty("status").GetString() is "completed" or "failed") return job;
            if (DateTime.UtcNow > until) Assert.Fail($"job {id} still {job.GetProperty("status")}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Upload_is_processed_and_the_result_is_visible_through_the_api()
    {
        await using var worker = await WorkerHost.StartAsync(Settings, Options, _extractor);
        var (id, _) = await UploadAsync();
        var job = await WaitForFinalAsync(id);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal("needs_review", job.GetProperty("verdict").GetString());
        Assert.Equal("ktp-result/v1", job.GetProperty("result").GetProperty("schema").GetString());
        Assert.Equal("needs_review", job.GetProperty("result").GetProperty("verdict").GetProperty("decision").GetString());
        Assert.True(job.GetProperty("timings_ms").GetProperty("total").GetDouble() > 0);
        Assert.Equal(1, await _db.CountAsync($"SELECT count(*) FROM job_outcomes WHERE job_id = '{id}'"));
        var metrics = worker.App.Services.GetRequiredService<KtpFleet.Fleet.Metrics.PrometheusExporter>().Scrape();
        Assert.Contains("ktp_jobs_processed_total{verdict=\"needs_review\"} 1", metrics);
        Assert.Contains("ktp_engine_pool_busy 0", metrics);
        Assert.Contains("ktp_engine_pool_idle 2", metrics);
        Assert.Contains("ktp_queue_lag_seconds_count 1", metrics);
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_backoff_then_succeed()
    {
        var calls = new ConcurrentDictionary<string, List<DateTime>>();
        _extractor.Behaviour = (key, call) =>
        {
            calls.GetOrAdd(key, _ => []).Add(DateTime.UtcNow);
            return call <= 2 ? throw new InvalidOperationException("engine hiccup") : Task.CompletedTask;
        };
        await using var worker = await WorkerHost.StartAsync(Settings, Options, _extractor);
        var (id, key) = await UploadAsync();
        var job = await WaitForFinalAsync(id);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(3, job.GetProperty("attempts").GetInt32());
        var times = calls[key];
        Assert.Equal(3, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(150), "first retry came too soon");
        Assert.True(times[2] - times[1] >= TimeSpan.FromMilliseconds(350), "backoff did not grow");
    }

    [Fact]
    public async Task Exhausted_retries_fail_the_job_with_the_reason_and_dead_letter_it()
    {
        _extractor.Behaviour = (_, _) => throw new InvalidOperationException("engine keeps failing");
        await using var worker = await WorkerHost.StartAsync(Settings, Options, _extractor);
        var (id, key) = await UploadAsync();
        var job = await WaitForFinalAsync(id);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("retries_exhausted", job.GetProperty("failure").GetProperty("code").GetString());
        Assert.Contains("engine keeps failing", job.GetProperty("failure").GetProperty("reason").GetString());
        Assert.Equal(Options.MaxAttempts, _extractor.Calls[key]);
        await using var conn = await AmqpConnector.ConnectAsync(_vhost.Amqp, "test");
        await using var channel = await conn.CreateChannelAsync();
        BasicGetResult? dead = null;
        for (var i = 0; i < 50 && dead is null; i++)
        {
            dead = await channel.BasicGetAsync(new Topology("default").DeadQueue, autoAck: true);
            if (dead is null) await Task.Delay(100);
        }
        Assert.NotNull(dead);
        Assert.Equal(id, JobMessage.Parse(dead.Body.Span).JobId);
    }

    [Fact]
    public async Task Image_errors_fail_at_once_with_their_code()
    {
        _extractor.Behaviour = (_, _) => throw new KtpImageException(ImageErrorCode.NotACard, "no card found");
        await using var worker = await WorkerHost.StartAsync(Settings, Options, _extractor);
        var (id, key) = await UploadAsync();
        var job = await WaitForFinalAsync(id);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("not_a_card", job.GetProperty("failure").GetProperty("code").GetString());
        Assert.Equal(1, _extractor.Calls[key]);
    }

    [Fact]
    public async Task A_redelivered_finished_job_is_acked_without_work()
    {
        var worker = await WorkerHost.StartAsync(Settings, Options, _extractor);
        var (id, key) = await UploadAsync();
        await WaitForFinalAsync(id);
        // Publish the same job again, as a broker redelivery or the sweeper would.
        await using (var publisher = new JobPublisher(_vhost.Amqp, "test"))
            await publisher.PublishAsync(JobMessage.For(id, (await TenantOfAsync(id)), PostgresImageStore.RefFor(id), "00", DateTimeOffset.UtcNow));
        await Task.Delay(1500);
        Assert.Equal(1, _extractor.Calls[key]);
        Assert.Equal(1, await _db.CountAsync($"SELECT count(*) FROM job_outcomes WHERE job_id = '{id}'"));
        await worker.DisposeAsync(); // anything unacked would now be back in the queue
        Assert.Equal(0u, await _vhost.ReadyCountAsync(new Topology("default").WorkQueue));
    }

    [Fact]
    public async Task Stop_drains_in_flight_jobs_before_exiting()
    {
        var started = new TaskCompletionSource();
        _extractor.Behaviour = async (_, _) => { started.TrySetResult(); await Task.Delay(2000); };
        var worker = await WorkerHost.StartAsync(Settings, Options, _extractor);
        var (id, _) = await UploadAsync();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await worker.StopAsync(); // what SIGTERM does
        await worker.DisposeAsync();
        Assert.Equal(1, await _db.CountAsync($"SELECT count(*) FROM job_outcomes WHERE job_id = '{id}'"));
        Assert.Equal(0u, await _vhost.ReadyCountAsync(new Topology("default").WorkQueue)); // acked, not returned
    }

    [Fact]
    public async Task Review_is_stored_beside_the_result_and_confirms_the_job()
    {
        await using var worker = await WorkerHost.StartAsync(Settings, Options, _extractor);
        var (id, _) = await UploadAsync();
        var before = await WaitForFinalAsync(id);
        using var http = _api.Client(_key);
        var put = await http.PutAsync($"/v1/ktp-jobs/{id}/review", Json(new { reviewer = "alice", decision = "corrected", fields = new { nama = "BUDI SANTOSO", alamat = (string?)null } }));
        var body = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;
        Assert.True(put.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("confirmed", body.GetProperty("status").GetString());
        Assert.Equal("alice", body.GetProperty("review").GetProperty("reviewer").GetString());
        Assert.Equal("BUDI SANTOSO", body.GetProperty("review").GetProperty("fields").GetProperty("nama").GetString());
        Assert.True(body.GetProperty("review").GetProperty("reviewed_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        // The OCR result is untouched.
        Assert.Equal(before.GetProperty("result").ToString(), body.GetProperty("result").ToString());

        var second = await http.PutAsync($"/v1/ktp-jobs/{id}/review", Json(new { reviewer = "bob", decision = "confirmed" }));
        Assert.Equal("bob", JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("review").GetProperty("reviewer").GetString());
        Assert.Equal(2, await _db.CountAsync($"SELECT count(*) FROM reviews WHERE job_id = '{id}'"));

        async Task Problem(HttpResponseMessage r, HttpStatusCode status, string code)
        {
            Assert.Equal(status, r.StatusCode);
            Assert.Equal(code, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }
        await Problem(await http.PutAsync($"/v1/ktp-jobs/{id}/review", Json(new { reviewer = "x", decision = "corrected", fields = new { shoe_size = "42" } })), HttpStatusCode.BadRequest, "malformed_request");
        await Problem(await http.PutAsync($"/v1/ktp-jobs/{id}/review", Json(new { reviewer = "x", decision = "maybe" })), HttpStatusCode.BadRequest, "malformed_request");
        await Problem(await http.PutAsync($"/v1/ktp-jobs/{id}/review", Json(new { decision = "confirmed" })), HttpStatusCode.BadRequest, "malformed_request");
        await Problem(await http.PutAsync($"/v1/ktp-jobs/{Guid.NewGuid()}/review", Json(new { reviewer = "x", decision = "confirmed" })), HttpStatusCode.NotFound, "not_found");
        using var other = _api.Client(await _api.CreateTenantAsync());
        await Problem(await other.PutAsync($"/v1/ktp-jobs/{id}/review", Json(new { reviewer = "x", decision = "confirmed" })), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_job_without_a_result_cannot_be_reviewed()
    {
        var (id, _) = await UploadAsync(); // no worker: stays queued
        using var http = _api.Client(_key);
        var r = await http.PutAsync($"/v1/ktp-jobs/{id}/review", Json(new { reviewer = "x", decision = "confirmed" }));
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        Assert.Equal("not_reviewable", JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Webhook_is_signed_retried_and_its_delivery_visible()
    {
        // A receiver that fails the first call, then accepts.
        var received = new ConcurrentQueue<(string Signature, byte[] Body)>();
        var calls = 0;
        var receiver = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]).Build();
        receiver.MapPost("/hook", async (Microsoft.AspNetCore.Http.HttpContext ctx) =>
        {
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms);
            received.Enqueue((ctx.Request.Headers["X-Ktp-Signature"].ToString(), ms.ToArray()));
            return Interlocked.Increment(ref calls) == 1 ? Microsoft.AspNetCore.Http.Results.StatusCode(503) : Microsoft.AspNetCore.Http.Results.Ok();
        });
        await receiver.StartAsync();
        var url = receiver.Urls.First() + "/hook";
        try
        {
            var credentials = await _api.App.Services.GetRequiredService<KtpFleet.Fleet.Storage.TenantStore>().CreateAsync("hooked-" + Guid.NewGuid().ToString("N")[..6]);
            await using var worker = await WorkerHost.StartAsync(Settings, Options with { WebhookRetryBase = TimeSpan.FromMilliseconds(300) }, _extractor);
            using var http = _api.Client(credentials.Key.ToString());
            var r = await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(TestImages.NoisePng(100, 100, Interlocked.Increment(ref _seed)), callbackUrl: url));
            var id = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetGuid();
            JsonElement job = default;
            await IngestApiTests.WaitFor(async () =>
            {
                job = JsonDocument.Parse(await http.GetStringAsync($"/v1/ktp-jobs/{id}")).RootElement;
                return job.GetProperty("webhook").ValueKind == JsonValueKind.Object && job.GetProperty("webhook").GetProperty("status").GetString() == "delivered";
            }, TimeSpan.FromSeconds(30));
            Assert.Equal(2, job.GetProperty("webhook").GetProperty("attempts").GetInt32());
            Assert.Equal(2, received.Count);
            foreach (var (signature, body) in received)
            {
                Assert.True(KtpFleet.Fleet.Webhooks.WebhookSigner.Verify(credentials.WebhookSecret, signature, body), "bad signature");
                Assert.False(KtpFleet.Fleet.Webhooks.WebhookSigner.Verify("whsec_wrong", signature, body));
                var payload = JsonDocument.Parse(body).RootElement;
                Assert.Equal(id, payload.GetProperty("job_id").GetGuid());
                Assert.Equal("job.finished", payload.GetProperty("event").GetString());
                Assert.Equal("ktp-result/v1", payload.GetProperty("result").GetProperty("schema").GetString());
            }
        }
        finally
        {
            await receiver.StopAsync();
            await receiver.DisposeAsync();
        }
    }

    private static StringContent Json(object o) => new(JsonSerializer.Serialize(o), System.Text.Encoding.UTF8, "application/json");

    private async Task<string> TenantOfAsync(Guid id)
    {
        await using var cmd = _db.DataSource.CreateCommand($"SELECT tenant_id FROM jobs WHERE id = '{id}'");
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
