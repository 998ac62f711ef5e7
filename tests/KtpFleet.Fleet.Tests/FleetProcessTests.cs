using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using KtpFleet.Fleet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace KtpFleet.Fleet.Tests;

/// <summary>
/// The fleet as it runs: the ingest API, real worker processes with the real OCR pipeline, real RabbitMQ,
/// PostgreSQL and Redis. Sizes: KTP_FLEET_BATCH_JOBS (default 1000), KTP_FLEET_CHAOS_JOBS (default 2000). Bulk
/// runs use generated images the pipeline fully processes in ~50-100 ms (white page + unique noise, verdict
/// "rejected: not a card") plus a share of real specimen cards made unique by a JPEG comment, so the run is
/// bound by the fleet's plumbing rather than by minutes of OCR.
/// </summary>
public sealed class FleetProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly TestVhost _vhost = new();
    private readonly string _apiLog = Path.Combine(Path.GetTempPath(), $"ktp-ingest-{Guid.NewGuid():N}.log");
    private IngestHost _api = null!;
    private string _key = "";
    private readonly List<FleetProcess> _workers = [];
    private static int _seed = 90_000;

    // The segment image store, as ./ktp up runs it: the API writes, separate worker processes read.
    private readonly string _images = Path.Combine(Path.GetTempPath(), $"ktp-images-{Guid.NewGuid():N}");
    private FleetSettings Settings => new() { Postgres = _db.ConnectionString, Amqp = _vhost.Amqp, ImageStore = "segments:" + _images };

    public async Task InitializeAsync()
    {
        await Services.EnsureRunningAsync();
        await Task.WhenAll(_db.InitializeAsync(), _vhost.InitializeAsync());
        Environment.SetEnvironmentVariable("KTP_LOG_FILE", _apiLog);
        try { _api = await IngestHost.StartAsync(Settings); }
        finally { Environment.SetEnvironmentVariable("KTP_LOG_FILE", null); }
        _key = await _api.CreateTenantAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var w in _workers) w.Dispose();
        await _api.DisposeAsync();
        await Task.WhenAll(_db.DisposeAsync(), _vhost.DisposeAsync());
        File.Delete(_apiLog);
        if (Directory.Exists(_images)) Directory.Delete(_images, recursive: true);
    }

    private FleetProcess StartWorker(string name)
    {
        var w = FleetProcess.StartWorker(name, Settings);
        _workers.Add(w);
        return w;
    }

    private static int Size(string env, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(env), out var n) && n > 0 ? n : fallback;

    private static byte[][] Specimens() =>
        Directory.GetFiles(TestImages.SpecimenDir, "*.jpg").Order().Select(File.ReadAllBytes).ToArray();

    /// <summary>Unique images: every 50th a real specimen card (unique bytes), the rest generated pages.</summary>
    private static byte[] BulkImage(int i, byte[][] specimens) =>
        i % 50 == 0
            ? TestImages.WithJpegComment(specimens[i / 50 % specimens.Length], $"run-{Guid.NewGuid():N}")
            : TestImages.BlankWithNoise(640, 400, 64, Interlocked.Increment(ref _seed));

    /// <summary>
    /// Uploads with retries on 5xx/connection errors (a client's duty when a service restarts), each retried with its
    /// own bytes, so an upload committed but never answered comes back as a duplicate of its job.
    /// <paramref name="accepted"/> fills as the answers come.
    /// </summary>
    private static Task UploadAllAsync(HttpClient http, int count, Func<int, byte[]> image, ConcurrentDictionary<Guid, byte> accepted, int parallelism = 8) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var bytes = image(i);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var r = await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(bytes), ct);
                    if (r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                    {
                        var id = JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("job_id").GetGuid();
                        accepted[id] = 0;
                        return;
                    }
                    if ((int)r.StatusCode < 500) Assert.Fail($"upload {i} refused: {r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}");
                }
                catch (HttpRequestException) { /* service restarting */ }
                if (attempt > 300) Assert.Fail($"upload {i} kept failing");
                await Task.Delay(200, ct);
            }
        });

    private Task<long> OutcomesAsync() => _db.CountAsync("SELECT count(*) FROM job_outcomes");

    private async Task WaitForOutcomesAsync(long expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        long last = -1;
        while (true)
        {
            long n;
            try { n = await OutcomesAsync(); }
            catch (Npgsql.NpgsqlException) { await Task.Delay(500); continue; } // PostgreSQL restarting
            if (n >= expected) return;
            if (clock.Elapsed > timeout) Assert.Fail($"only {n} of {expected} jobs have an outcome after {timeout}");
            if (n != last) { last = n; }
            await Task.Delay(250);
        }
    }

    private async Task AssertExactlyOneOutcomePerJobAsync(ICollection<Guid> accepted)
    {
        Assert.Equal(accepted.Count, await _db.CountAsync("SELECT count(*) FROM jobs"));
        Assert.Equal(accepted.Count, await _db.CountAsync("SELECT count(*) FROM job_outcomes"));
        Assert.Equal(0, await _db.CountAsync("SELECT count(*) FROM jobs j WHERE NOT EXISTS (SELECT 1 FROM job_outcomes o WHERE o.job_id = j.id)"));
        Assert.Equal(0, await _db.CountAsync("SELECT count(*) FROM (SELECT job_id FROM job_outcomes GROUP BY job_id HAVING count(*) > 1) d"));
        Assert.Equal(0, await _db.CountAsync("SELECT count(*) FROM jobs WHERE status NOT IN ('completed')"));
        var ids = new HashSet<Guid>();
        await using var cmd = _db.DataSource.CreateCommand("SELECT job_id FROM job_outcomes");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) ids.Add(r.GetGuid(0));
        Assert.True(ids.SetEquals(accepted), "outcomes are not exactly the accepted jobs");
    }

    private static readonly Regex UnmaskedNik = new(@"(?<!\d)\d{16}(?!\d)");

    private void AssertNoUnmaskedNikInLogs()
    {
        var lines = FleetProcess.AllLogLines.ToList();
        if (File.Exists(_apiLog)) lines.AddRange(File.ReadAllLines(_apiLog));
        Assert.NotEmpty(lines);
        var leaks = lines.Where(l => UnmaskedNik.IsMatch(l)).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} log lines carry an unmasked NIK, e.g. {leaks.FirstOrDefault()}");
    }

    [Fact]
    public async Task Real_cards_upload_to_result_in_postgres_to_get()
    {
        StartWorker("e2e-1");
        using var http = _api.Client(_key);
        var ids = new List<Guid>();
        foreach (var card in Specimens())
        {
            var r = await http.PostAsync("/v1/ktp-jobs", Uploads.Multipart(card, externalId: "specimen"));
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            ids.Add(JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetGuid());
        }
        await WaitForOutcomesAsync(ids.Count, TimeSpan.FromMinutes(3));
        foreach (var id in ids)
        {
            var job = JsonDocument.Parse(await http.GetStringAsync($"/v1/ktp-jobs/{id}")).RootElement;
            Assert.Equal("completed", job.GetProperty("status").GetString());
            var result = job.GetProperty("result");
            Assert.Equal("ktp-result/v1", result.GetProperty("schema").GetString());
            Assert.Contains(result.GetProperty("verdict").GetProperty("decision").GetString(), new[] { "accepted", "needs_review", "rejected" });
            var nik = result.GetProperty("fields").GetProperty("nik");
            // The card's NIK was read (the OCR library's accuracy is tested there; here: it made it through the fleet).
            Assert.Matches("^[0-9]{16}$", nik.GetProperty("value").GetString());
            Assert.Equal(job.GetProperty("verdict").GetString(), result.GetProperty("verdict").GetProperty("decision").GetString());
        }
        AssertNoUnmaskedNikInLogs();
    }

    [Fact]
    public async Task Batch_of_jobs_through_the_batch_endpoint_all_get_exactly_one_result()
    {
        var count = Size("KTP_FLEET_BATCH_JOBS", 1000);
        var specimens = Specimens();
        StartWorker("batch-1");
        StartWorker("batch-2");
        // One streamed NDJSON request to the batch endpoint.
        var ndjson = new MemoryStream();
        for (var i = 0; i < count; i++)
            ndjson.Write(JsonSerializer.SerializeToUtf8Bytes(new { image = Convert.ToBase64String(BulkImage(i, specimens)), externalId = $"batch-{i}" }).Append((byte)'\n').ToArray());
        ndjson.Position = 0;
        var content = new StreamContent(ndjson);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
        using var http = _api.Client(_key);
        var clock = Stopwatch.StartNew();
        var response = await http.PostAsync("/v1/ktp-jobs:batch", content);
        var uploaded = clock.Elapsed;
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(count, body.GetProperty("accepted").GetInt32());
        var accepted = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("job_id").GetGuid()).ToHashSet();
        Assert.Equal(count, accepted.Count);
        await WaitForOutcomesAsync(count, TimeSpan.FromMinutes(8));
        output.WriteLine($"{count} jobs: uploaded in {uploaded.TotalSeconds:F1} s, all results after {clock.Elapsed.TotalSeconds:F1} s " +
                         $"({count / clock.Elapsed.TotalSeconds:F1} jobs/s end to end, 2 workers x 1 engine)");
        await AssertExactlyOneOutcomePerJobAsync(accepted);
        AssertNoUnmaskedNikInLogs();
    }

    [Fact]
    public async Task Nothing_lost_nothing_doubled_through_worker_kills_and_service_restarts()
    {
        var count = Size("KTP_FLEET_CHAOS_JOBS", 2000);
        var specimens = Specimens();
        var workers = new[] { StartWorker("chaos-a"), StartWorker("chaos-b") };
        var clock = Stopwatch.StartNew();
        using var http = _api.Client(_key);
        var accepted = new ConcurrentDictionary<Guid, byte>();
        var uploads = UploadAllAsync(http, count, i => BulkImage(i, specimens), accepted);

        var events = new List<string>();
        async Task At(double fraction, string what, Func<Task> act)
        {
            while (await SafeOutcomesAsync() < count * fraction && clock.Elapsed < TimeSpan.FromMinutes(6)) await Task.Delay(200);
            await act();
            events.Add($"{clock.Elapsed.TotalSeconds:F1}s {what} (outcomes so far: {await SafeOutcomesAsync()})");
        }
        void KillAndReplace(int slot, string name)
        {
            workers[slot].Kill();
            workers[slot] = StartWorker(name);
        }
        await At(0.10, "kill -9 worker a", () => { KillAndReplace(0, "chaos-a2"); return Task.CompletedTask; });
        await At(0.25, "restart RabbitMQ", () => Services.RunScriptAsync("restart", "rabbitmq"));
        await At(0.40, "kill -9 worker b", () => { KillAndReplace(1, "chaos-b2"); return Task.CompletedTask; });
        await At(0.55, "restart PostgreSQL", () => Services.RunScriptAsync("restart", "postgres"));
        await At(0.70, "kill -9 worker a", () => { KillAndReplace(0, "chaos-a3"); return Task.CompletedTask; });

        await uploads;
        Assert.Equal(count, accepted.Count);
        await WaitForOutcomesAsync(count, TimeSpan.FromMinutes(8));
        foreach (var e in events) output.WriteLine(e);
        output.WriteLine($"{count} jobs through 3 worker kills, a RabbitMQ and a PostgreSQL restart: all done in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(5, events.Count);
        await AssertExactlyOneOutcomePerJobAsync(accepted.Keys);
        var redelivered = await _db.CountAsync("SELECT count(*) FROM jobs WHERE attempts > 1");
        output.WriteLine($"jobs started more than once (killed mid-job, redelivered): {redelivered}");
        AssertNoUnmaskedNikInLogs();
    }

    [Fact]
    public async Task Uploads_accepted_by_an_api_killed_with_sigkill_are_all_processed_once()
    {
        var count = Size("KTP_FLEET_API_KILL_JOBS", 600);
        var url = FleetProcess.FreeLoopbackUrl();
        var api = FleetProcess.StartApi("api-1", url, Settings);
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _key);
            await WaitForHealthAsync(http);
            StartWorker("api-kill-1");
            StartWorker("api-kill-2");
            var specimens = Specimens();
            var accepted = new ConcurrentDictionary<Guid, byte>();
            var uploads = UploadAllAsync(http, count, i => BulkImage(i, specimens), accepted, parallelism: 16);
            while (accepted.Count < count / 3) await Task.Delay(20);
            api.Kill(); // mid-stream: uploads in flight, accepted jobs not yet published
            var killedAfter = accepted.Count;
            var unpublished = await _db.CountAsync("SELECT count(*) FROM jobs WHERE published_at IS NULL");
            api.Dispose();
            api = FleetProcess.StartApi("api-2", url, Settings);
            await uploads;
            Assert.Equal(count, accepted.Count);
            await WaitForOutcomesAsync(count, TimeSpan.FromMinutes(6));
            output.WriteLine($"{count} uploads, API killed with SIGKILL after {killedAfter} answers and restarted; " +
                             $"{unpublished} jobs had no recorded publish at the kill (the new API's sweeper covers them)");
            await AssertExactlyOneOutcomePerJobAsync(accepted.Keys);
        }
        finally
        {
            api.Dispose();
        }
    }

    private static async Task WaitForHealthAsync(HttpClient http)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        Assert.Fail("the API process did not come up");
    }

    private async Task<long> SafeOutcomesAsync()
    {
        for (var i = 0; ; i++)
        {
            try { return await OutcomesAsync(); }
            catch (Npgsql.NpgsqlException) when (i < 100) { await Task.Delay(200); } // PostgreSQL restarting
        }
    }
}
