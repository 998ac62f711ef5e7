using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Storage;
using KtpFleet.Fleet.Storage.Images;
using KtpFleet.Fleet.Tests.Infrastructure;
using KtpFleet.Ingest.Intake;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace KtpFleet.Fleet.Tests;

/// <summary>One API process for the class, on real PostgreSQL (own database), RabbitMQ (own vhost) and Redis.</summary>
public sealed class IngestFixture : IAsyncLifetime
{
    public TestDatabase Db { get; } = new();
    public TestVhost Vhost { get; } = new();
    public IngestHost Api { get; private set; } = null!;
    public string PolicyFile { get; } = Path.Combine(Path.GetTempPath(), $"ktp-policy-{Guid.NewGuid():N}.json");
    public string SmallTenant { get; } = "small-" + Guid.NewGuid().ToString("N")[..8];
    public string SlowTenant { get; } = "slow-" + Guid.NewGuid().ToString("N")[..8];
    public string Key { get; private set; } = "";
    public string OtherKey { get; private set; } = "";
    public string SmallKey { get; private set; } = "";
    public string SlowKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Db.InitializeAsync(), Vhost.InitializeAsync(), Services.EnsureRunningAsync("redis"));
        await File.WriteAllTextAsync(PolicyFile, JsonSerializer.Serialize(new
        {
            @default = new { min_image_bytes = 10_240 },
            tenants = new Dictionary<string, object>
            {
                [SmallTenant] = new { max_image_bytes = 50_000, max_image_pixels = 1_000_000 },
                [SlowTenant] = new { rate_limit_per_second = 3 },
            },
        }));
        Api = await IngestHost.StartAsync(new FleetSettings { Postgres = Db.ConnectionString, Amqp = Vhost.Amqp, TenantPolicyFile = PolicyFile });
        Key = await Api.CreateTenantAsync();
        OtherKey = await Api.CreateTenantAsync();
        SmallKey = await Api.CreateTenantAsync(SmallTenant);
        SlowKey = await Api.CreateTenantAsync(SlowTenant);
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Task.WhenAll(Db.DisposeAsync(), Vhost.DisposeAsync());
        File.Delete(PolicyFile);
    }
}

public sealed class IngestApiTests(IngestFixture f) : IClassFixture<IngestFixture>
{
    private static int _seed = Environment.TickCount;
    private static byte[] NewImage(int side = 120) => TestImages.NoisePng(side, side, Interlocked.Increment(ref _seed));

    private static async Task<JsonElement> Json(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblem(HttpResponseMessage r, HttpStatusCode status, string code)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(status == r.StatusCode, $"expected {status}, got {r.StatusCode}: {body}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Concurrent_identical_uploads_make_one_job_and_many_duplicates()
    {
        using var http = f.Api.Client(f.Key);
        var image = NewImage();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(image))));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(11, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var ids = await Task.WhenAll(answers.Select(async a => (await Json(a)).GetProperty("job_id").GetGuid()));
        Assert.Single(ids.Distinct());
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image));
        Assert.Equal(1, await f.Db.CountAsync($"SELECT count(*) FROM jobs WHERE content_sha256 = '\\x{sha}'"));
    }

    [Fact]
    public async Task Multipart_upload_is_accepted_stored_and_published()
    {
        using var http = f.Api.Client(f.Key);
        var image = NewImage();
        var r = await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(image, externalId: "order-1"));
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var body = await Json(r);
        var id = body.GetProperty("job_id").GetGuid();
        Assert.False(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal($"/v1/ktp-jobs/{id}", r.Headers.Location?.OriginalString);

        var job = await Json(await http.GetAsync($"/v1/ktp-jobs/{id}"));
        Assert.Equal("queued", job.GetProperty("status").GetString());
        Assert.Equal("order-1", job.GetProperty("external_id").GetString());
        Assert.Equal(image, await http.GetByteArrayAsync($"/v1/ktp-jobs/{id}/image"));

        // The message is on the pipeline's queue, small and versioned, and the publish was recorded as confirmed.
        await using var conn = await AmqpConnector.ConnectAsync(f.Vhost.Amqp, "test");
        await using var channel = await conn.CreateChannelAsync();
        var found = false;
        for (var i = 0; i < 50 && !found; i++)
        {
            var got = await channel.BasicGetAsync(new Topology("default").WorkQueue, autoAck: true);
            if (got is null) { await Task.Delay(100); continue; }
            var m = JobMessage.Parse(got.Body.Span);
            Assert.True(got.Body.Length < 512);
            found = m.JobId == id;
        }
        Assert.True(found, "job message not found on the work queue");
        await WaitFor(async () => await f.Db.CountAsync($"SELECT count(*) FROM jobs WHERE id = '{id}' AND published_at IS NOT NULL") == 1);
    }

    [Fact]
    public async Task Json_base64_upload_is_accepted_and_data_urls_work()
    {
        using var http = f.Api.Client(f.Key);
        var r = await http.PostAsJsonAsync("/v1/ktp-jobs", new { image = Convert.ToBase64String(NewImage()), externalId = "j1" });
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var r2 = await http.PostAsJsonAsync("/v1/ktp-jobs", new { image = "data:image/png;base64," + Convert.ToBase64String(NewImage()) });
        Assert.Equal(HttpStatusCode.Accepted, r2.StatusCode);
    }

    [Fact]
    public async Task Same_image_again_returns_the_existing_job_and_idempotency_key_is_honoured()
    {
        using var http = f.Api.Client(f.Key);
        var image = NewImage();
        var first = await Json(await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(image)));
        var again = await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(image));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await Json(again);
        Assert.True(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("job_id").GetGuid(), body.GetProperty("job_id").GetGuid());

        using var req1 = new HttpRequestMessage(HttpMethod.Post, "/v1/ktp-jobs") { Content = Uploads.Multipart(NewImage()) };
        req1.Headers.Add("Idempotency-Key", "retry-" + Guid.NewGuid());
        var a = await Json(await http.SendAsync(req1));
        using var req2 = new HttpRequestMessage(HttpMethod.Post, "/v1/ktp-jobs") { Content = Uploads.Multipart(NewImage()) };
        req2.Headers.Add("Idempotency-Key", req1.Headers.GetValues("Idempotency-Key").Single());
        var b = await http.SendAsync(req2);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal(a.GetProperty("job_id").GetGuid(), (await Json(b)).GetProperty("job_id").GetGuid());

        // The same image from another tenant is a new job.
        using var other = f.Api.Client(f.OtherKey);
        Assert.Equal(HttpStatusCode.Accepted, (await other.PostAsync("/v1/ktp-jobs", Uploads.Multipart(image))).StatusCode);
    }

    public static TheoryData<string, byte[], HttpStatusCode, string> BadImages() => new()
    {
        { "empty", [], HttpStatusCode.UnprocessableEntity, "empty" },
        { "text", Encoding.UTF8.GetBytes(new string('a', 20_000)), HttpStatusCode.UnsupportedMediaType, "unsupported_format" },
        { "gif", [.. "GIF89a"u8, .. new byte[20_000]], HttpStatusCode.UnsupportedMediaType, "unsupported_format" },
        { "truncated png", TestImages.NoisePng(120, 120, 7)[..20_000], HttpStatusCode.UnprocessableEntity, "corrupt" },
        { "tiny png", TestImages.NoisePng(20, 20, 8), HttpStatusCode.UnprocessableEntity, "too_small" },
        { "pixel bomb", TestImages.HugeClaimPng(30_000, 30_000), HttpStatusCode.RequestEntityTooLarge, "too_large_pixels" },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public async Task Bad_images_get_typed_problems(string what, byte[] image, HttpStatusCode status, string code)
    {
        using var http = f.Api.Client(f.Key);
        Assert.NotNull(what);
        await AssertProblem(await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(image)), status, code);
        await AssertProblem(await http.PostAsJsonAsync("/v1/ktp-jobs", new { image = Convert.ToBase64String(image) }), status, code);
    }

    [Fact]
    public async Task Tenant_policy_limits_bytes_and_pixels()
    {
        using var http = f.Api.Client(f.SmallKey);
        await AssertProblem(await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(NewImage(200))), HttpStatusCode.RequestEntityTooLarge, "too_large_bytes");
        await AssertProblem(await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(TestImages.HugeClaimPng(1200, 1000))), HttpStatusCode.RequestEntityTooLarge, "too_large_pixels");
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(NewImage(100)))).StatusCode);
    }

    [Fact]
    public async Task Malformed_requests_get_typed_problems()
    {
        using var http = f.Api.Client(f.Key);
        await AssertProblem(await http.PostAsync("/v1/ktp-jobs", new StringContent("{\"image\": ", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "malformed_request");
        await AssertProblem(await http.PostAsync("/v1/ktp-jobs", new StringContent("[1,2]", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "malformed_request");
        await AssertProblem(await http.PostAsJsonAsync("/v1/ktp-jobs", new { image = "!!not base64!!" }), HttpStatusCode.BadRequest, "invalid_base64");
        await AssertProblem(await http.PostAsJsonAsync("/v1/ktp-jobs", new { externalId = "x" }), HttpStatusCode.BadRequest, "malformed_request");
        await AssertProblem(await http.PostAsync("/v1/ktp-jobs", new StringContent("hello", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        var noImage = new MultipartFormDataContent { { new StringContent("x"), "externalId" } };
        await AssertProblem(await http.PostAsync("/v1/ktp-jobs", noImage), HttpStatusCode.BadRequest, "malformed_request");
        await AssertProblem(await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(NewImage(), callbackUrl: "ftp://x")), HttpStatusCode.BadRequest, "invalid_callback_url");
        var broken = new StringContent("--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a\"\r\n\r\nabc", Encoding.UTF8);
        broken.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        var r = await http.PostAsync("/v1/ktp-jobs", broken);
        Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, r.StatusCode.ToString());
        Assert.Equal("ok", await (await http.GetAsync("/healthz")).Content.ReadAsStringAsync()); // still alive
    }

    [Fact]
    public async Task Keys_are_required_and_tenants_see_only_their_jobs()
    {
        using var anonymous = f.Api.Client();
        await AssertProblem(await anonymous.PostAsync("/v1/ktp-jobs", Uploads.Multipart(NewImage())), HttpStatusCode.Unauthorized, "unauthorized");
        using var bad = f.Api.Client(f.Key[..^2] + "zz");
        await AssertProblem(await bad.GetAsync("/v1/ktp-jobs"), HttpStatusCode.Unauthorized, "unauthorized");
        using var garbage = f.Api.Client("not-a-key");
        await AssertProblem(await garbage.GetAsync("/v1/ktp-jobs"), HttpStatusCode.Unauthorized, "unauthorized");

        using var owner = f.Api.Client(f.Key);
        var id = (await Json(await owner.PostAsync("/v1/ktp-jobs", Uploads.Multipart(NewImage())))).GetProperty("job_id").GetGuid();
        using var other = f.Api.Client(f.OtherKey);
        await AssertProblem(await other.GetAsync($"/v1/ktp-jobs/{id}"), HttpStatusCode.NotFound, "not_found");
        await AssertProblem(await other.GetAsync($"/v1/ktp-jobs/{id}/image"), HttpStatusCode.NotFound, "not_found");
        var list = await Json(await other.GetAsync("/v1/ktp-jobs?limit=500"));
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), j => j.GetProperty("job_id").GetGuid() == id);
        await AssertProblem(await owner.GetAsync("/v1/ktp-jobs/not-a-guid"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Listing_pages_with_a_cursor_and_filters_by_status()
    {
        var key = await f.Api.CreateTenantAsync();
        using var http = f.Api.Client(key);
        var ids = new HashSet<Guid>();
        for (var i = 0; i < 7; i++) ids.Add((await Json(await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(NewImage())))).GetProperty("job_id").GetGuid());
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await Json(await http.GetAsync("/v1/ktp-jobs?limit=3" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("job_id").GetGuid()));
            cursor = page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        Assert.Equal(ids.Order(), seen.Order());
        Assert.Empty((await Json(await http.GetAsync("/v1/ktp-jobs?status=completed"))).GetProperty("items").EnumerateArray());
        await AssertProblem(await http.GetAsync("/v1/ktp-jobs?status=bogus"), HttpStatusCode.BadRequest, "malformed_request");
        await AssertProblem(await http.GetAsync("/v1/ktp-jobs?cursor=%%%"), HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task Rate_limit_answers_429_with_retry_after()
    {
        using var http = f.Api.Client(f.SlowKey);
        // All at once, so they fall into one one-second window however slow the machine is.
        var images = Enumerable.Range(0, 6).Select(_ => NewImage()).ToList();
        var statuses = (await Task.WhenAll(images.Select(image => http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(image))))).ToList();
        var limited = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(limited.Count is >= 1 and <= 3, string.Join(",", statuses.Select(s => s.StatusCode)));
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await AssertProblem(limited[0], HttpStatusCode.TooManyRequests, "rate_limited");
        await Task.Delay(1100);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(NewImage()))).StatusCode);
    }

    [Fact]
    public async Task Images_past_their_retention_are_deleted_and_then_answer_gone_while_the_job_stays()
    {
        using var http = f.Api.Client(f.Key);
        var r = await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(NewImage()));
        var id = (await Json(r)).GetProperty("job_id").GetGuid();
        var sweeper = f.Api.App.Services.GetRequiredService<ImageRetentionSweeper>();
        await sweeper.SweepOnceAsync(DateTimeOffset.UtcNow.AddDays(-1), default); // not due yet
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/v1/ktp-jobs/{id}/image")).StatusCode);
        await sweeper.SweepOnceAsync(DateTimeOffset.UtcNow.AddSeconds(1), default);
        await AssertProblem(await http.GetAsync($"/v1/ktp-jobs/{id}/image"), HttpStatusCode.Gone, "image_expired");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/v1/ktp-jobs/{id}")).StatusCode);
    }

    [Fact]
    public async Task Sweeper_publishes_jobs_whose_publish_was_never_confirmed()
    {
        var jobs = f.Api.App.Services.GetRequiredService<JobStore>();
        var tenant = (await f.Api.App.Services.GetRequiredService<TenantStore>().CreateAsync("orphan-" + Guid.NewGuid().ToString("N")[..6])).TenantId;
        var image = NewImage();
        // A job committed by a process that died before publishing: row and image, no message.
        var id = Guid.CreateVersion7();
        var sha = System.Security.Cryptography.SHA256.HashData(image);
        var imageRef = await f.Api.App.Services.GetRequiredService<ImageStores>().Writer.PutAsync(id, image, sha);
        var job = await jobs.AcceptAsync(new NewJob(id, tenant, imageRef, image.Length, sha, "image/png", null, null, null, TimeSpan.FromHours(1)));
        // The background sweeper (1 s interval, 2 s grace) picks it up.
        await WaitFor(async () => await f.Db.CountAsync($"SELECT count(*) FROM jobs WHERE id = '{job.JobId}' AND published_at IS NOT NULL") == 1, TimeSpan.FromSeconds(15));
        await using var conn = await AmqpConnector.ConnectAsync(f.Vhost.Amqp, "test");
        await using var channel = await conn.CreateChannelAsync();
        var ids = new List<Guid>();
        while (await channel.BasicGetAsync(new Topology("default").WorkQueue, autoAck: true) is { } got) ids.Add(JobMessage.Parse(got.Body.Span).JobId);
        Assert.Contains(job.JobId, ids);
        Assert.Equal(0, await f.Api.App.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<OutboxSweeper>().Single().SweepOnceAsync(default));
    }

    [Fact]
    public async Task Health_readiness_and_metrics()
    {
        using var http = f.Api.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        var ready = await http.GetAsync("/readyz");
        var readyText = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"{ready.StatusCode}: {readyText}");
        var readyBody = JsonDocument.Parse(readyText).RootElement;
        Assert.Equal("ok", readyBody.GetProperty("checks").GetProperty("redis").GetString());
        using var authed = f.Api.Client(f.Key);
        await authed.PostAsync("/v1/ktp-jobs", Uploads.Multipart(NewImage()));
        await authed.PostAsync("/v1/ktp-jobs", Uploads.Multipart([]));
        var metrics = await http.GetAsync("/metrics");
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.ToString());
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE ktp_jobs_accepted_total counter", text);
        Assert.Matches(@"ktp_jobs_rejected_total\{code=""empty"",tenant=""[^""]+""\} [1-9]", text);
        Assert.Contains("# TYPE ktp_upload_duration_seconds histogram", text);
        Assert.Contains("ktp_upload_duration_seconds_bucket{le=\"+Inf\"}", text);
    }

    [Fact]
    public async Task OpenApi_document_and_swagger_ui_are_served()
    {
        using var http = f.Api.Client();
        var doc = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/v1/ktp-jobs", "/v1/ktp-jobs/{id}", "/v1/ktp-jobs/{id}/image", "/v1/ktp-jobs:batch", "/v1/ktp-jobs/{id}/review" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");
        Assert.True(paths.GetProperty("/v1/ktp-jobs").GetProperty("post").GetProperty("responses").TryGetProperty("429", out _));
        var ui = await http.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger", await ui.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    internal static async Task WaitFor(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail("condition not met in time");
            await Task.Delay(100);
        }
    }
}
