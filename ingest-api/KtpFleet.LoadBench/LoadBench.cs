using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using KtpFleet.Fleet;
using KtpFleet.Fleet.Storage;
using Npgsql;

namespace KtpFleet.LoadBench;

/// <summary>
/// usage: LoadBench ingest [--url U] [--count N] [--concurrency C] [--size BYTES] [--seconds S] [--warmup-rounds R]
///        LoadBench batch  [--url U] [--count N] [--batch-size K] [--concurrency C (at most 4)] [--size BYTES] [--seconds S] [--warmup-rounds R]
///        LoadBench e2e    [--url U] [--count N] [--image FILE]... (waits until every job has an outcome)
/// Creates its own tenant through Postgres (KTP_POSTGRES), prints one line of figures.
/// </summary>
public static class LoadBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var mode = args.FirstOrDefault() ?? "ingest";
        string Opt(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var url = new Uri(Opt("--url", "http://127.0.0.1:8080"));
        var count = int.Parse(Opt("--count", mode == "ingest" ? "5000" : "200"));
        var concurrency = int.Parse(Opt("--concurrency", "32"));
        var size = int.Parse(Opt("--size", "200000"));
        var seconds = double.Parse(Opt("--seconds", "60"));
        var settings = FleetSettings.FromEnvironment();

        await using var db = NpgsqlDataSource.Create(settings.Postgres);
        await Migrator.MigrateAsync(db);
        var tenant = await new TenantStore(db).CreateAsync($"bench-{DateTime.UtcNow:yyyyMMddHHmmss}-{Random.Shared.Next(1000)}");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        var key = tenant.Key.ToString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var warmupRounds = int.Parse(Opt("--warmup-rounds", "8"));

        return mode switch
        {
            "ingest" => await IngestAsync(url, key, count, concurrency, size, TimeSpan.FromSeconds(seconds), warmupRounds),
            "batch" => await BatchAsync(url, key, count, int.Parse(Opt("--batch-size", "100")), Math.Min(concurrency, 4), size, TimeSpan.FromSeconds(seconds), warmupRounds),
            "e2e" => await EndToEndAsync(http, db, tenant.TenantId, count, concurrency, args),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: LoadBench ingest|batch|e2e [--url U] [--count N] [--concurrency C] [--size BYTES] [--seconds S] [--batch-size K]");
        return 2;
    }

    private static async Task<int> IngestAsync(Uri url, string key, int count, int concurrency, int size, TimeSpan limit, int maxWarmupRounds)
    {
        var images = new UniqueImages(size);
        var latencies = new double[count];
        var statuses = new int[count];
        var connections = Enumerable.Range(0, concurrency).Select(_ => FramedUpload.Create(url, key, "/v1/ktp-jobs", images, 1)).ToArray();
        try
        {
            await WarmUpAsync(connections, maxWarmupRounds);

            long next = -1;
            var done = 0;
            var clock = Stopwatch.StartNew();
            var cpu = CpuAccount.Start();
            await Task.WhenAll(connections.Select(async c =>
            {
                while (true)
                {
                    var n = Interlocked.Increment(ref next);
                    if (n >= count || clock.Elapsed > limit) return;
                    var t = Stopwatch.GetTimestamp();
                    statuses[n] = (await c.PostAsync(n))?.Status ?? 0;
                    latencies[n] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    Interlocked.Increment(ref done);
                }
            }));
            var elapsed = clock.Elapsed.TotalSeconds;
            var sorted = latencies.Take(done).Order().ToArray();
            var ok = statuses.Take(done).Count(s => s == 202);
            Console.WriteLine($"ingest: {done} uploads of {images.Size / 1024} KB in {elapsed:F1} s = {done / elapsed:F0} uploads/s " +
                              $"({done * (double)images.Size / elapsed / 1e6:F0} MB/s), concurrency {concurrency}, " +
                              $"p50 {Percentile(sorted, 0.50):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms, max {sorted.LastOrDefault():F0} ms; " +
                              $"202: {ok}, other: {string.Join(",", statuses.Take(done).Where(s => s != 202).GroupBy(s => s).Select(g => $"{g.Key}x{g.Count()}"))}");
            Console.WriteLine("  " + cpu.PerItem(done));
            return ok == done ? 0 : 1;
        }
        finally
        {
            foreach (var c in connections) c.Dispose();
        }
    }

    private const int WarmupRound = 1000;
    private const int MinWarmupRounds = 5;

    /// <summary>
    /// Warm-up rounds of about <see cref="WarmupRound"/> images each (negative stamps, so they never collide with the
    /// measured ones) until the API's CPU per upload stops falling (within 5% of the round before), at least
    /// <see cref="MinWarmupRounds"/> and at most <paramref name="maxRounds"/>: tiered compilation recompiles the hot
    /// paths for seconds after they become hot, and a measurement that starts too early counts the JIT's work as
    /// the API's (1.8 instead of 1.3 ms per upload, measured 2026-12-01).
    /// </summary>
    private static async Task WarmUpAsync(FramedUpload[] connections, int maxRounds)
    {
        var requestsPerRound = (WarmupRound + connections[0].Parts - 1) / connections[0].Parts;
        var figures = new List<string>();
        double? previous = null;
        long warm = 0;
        for (var r = 0; r < maxRounds; r++)
        {
            var cpu = CpuAccount.Start();
            var end = (r + 1) * requestsPerRound;
            await Task.WhenAll(connections.Select(async c =>
            {
                while (Interlocked.Increment(ref warm) is var w && w <= end) await c.PostAsync(-w);
            }));
            var api = cpu.MsPerItem(requestsPerRound * connections[0].Parts).GetValueOrDefault("api");
            figures.Add($"{api:F2}");
            if (r + 1 >= MinWarmupRounds && previous is { } p && api > p * 0.95) break;
            previous = api;
        }
        if (figures.Count > 0) Console.WriteLine($"warm-up: {figures.Count} rounds, API CPU ms per upload {string.Join(" -> ", figures)}");
    }

    /// <summary>Bulk enqueue as partner systems do it: multipart requests of <paramref name="batchSize"/> unique images each.</summary>
    private static async Task<int> BatchAsync(Uri url, string key, int count, int batchSize, int concurrency, int size, TimeSpan limit, int maxWarmupRounds)
    {
        var images = new UniqueImages(size);
        var requests = (count + batchSize - 1) / batchSize;
        var latencies = new List<double>();
        long next = -1, accepted = 0, other = 0;
        var connections = Enumerable.Range(0, concurrency).Select(_ => FramedUpload.Create(url, key, "/v1/ktp-jobs:batch", images, batchSize)).ToArray();
        try
        {
            await WarmUpAsync(connections, maxWarmupRounds);
            var clock = Stopwatch.StartNew();
            var cpu = CpuAccount.Start();
            await Task.WhenAll(connections.Select(async c =>
            {
                while (Interlocked.Increment(ref next) is var r && r < requests && clock.Elapsed < limit)
                {
                    var t = Stopwatch.GetTimestamp();
                    var (ok, bad) = FramedUpload.BatchCounts(await c.PostAsync(r), batchSize);
                    lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    Interlocked.Add(ref accepted, ok);
                    Interlocked.Add(ref other, bad);
                }
            }));
            var elapsed = clock.Elapsed.TotalSeconds;
            var sorted = latencies.Order().ToArray();
            var done = accepted + other;
            Console.WriteLine($"batch: {done} images of {images.Size / 1024} KB in {sorted.Length} requests of {batchSize} in {elapsed:F1} s = " +
                              $"{done / elapsed:F0} images/s ({done * (double)images.Size / elapsed / 1e6:F0} MB/s), {concurrency} requests in flight, " +
                              $"request p50 {Percentile(sorted, 0.50):F0} ms, p99 {Percentile(sorted, 0.99):F0} ms; accepted: {accepted}, other: {other}");
            Console.WriteLine("  " + cpu.PerItem(done));
            return other == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var c in connections) c.Dispose();
        }
    }

    private static async Task<int> EndToEndAsync(HttpClient http, NpgsqlDataSource db, string tenant, int count, int concurrency, string[] args)
    {
        var files = args.Select((a, i) => (a, i)).Where(x => x.a == "--image" && x.i + 1 < args.Length).Select(x => File.ReadAllBytes(args[x.i + 1])).ToArray();
        if (files.Length == 0) throw new ArgumentException("e2e needs at least one --image FILE (a JPEG card)");
        var clock = Stopwatch.StartNew();
        long next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, 8)).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var n && n < count)
            {
                // Unique bytes, same pixels: a JPEG comment segment after SOI.
                var jpeg = files[n % files.Length];
                var text = System.Text.Encoding.ASCII.GetBytes($"bench-{n}-{Guid.NewGuid():N}");
                var body = new byte[jpeg.Length + 4 + text.Length];
                jpeg.AsSpan(0, 2).CopyTo(body);
                body[2] = 0xFF; body[3] = 0xFE; body[4] = (byte)((text.Length + 2) >> 8); body[5] = (byte)(text.Length + 2);
                text.CopyTo(body, 6);
                jpeg.AsSpan(2).CopyTo(body.AsSpan(6 + text.Length));
                var status = await PostAsync(http, body);
                if (status != 202) throw new InvalidOperationException($"upload answered {status}");
            }
        }));
        var uploaded = clock.Elapsed.TotalSeconds;
        long finished;
        do
        {
            await Task.Delay(200);
            await using var cmd = db.CreateCommand("SELECT count(*) FROM job_outcomes o JOIN jobs j ON j.id = o.job_id WHERE j.tenant_id = $1");
            cmd.Parameters.AddWithValue(tenant);
            finished = (long)(await cmd.ExecuteScalarAsync())!;
        } while (finished < count && clock.Elapsed < TimeSpan.FromMinutes(30));
        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"e2e: {finished}/{count} cards finished in {elapsed:F1} s = {finished / elapsed:F2} cards/s (uploads done after {uploaded:F1} s)");
        foreach (var pidFile in Directory.Exists(".ktp/fleet") ? Directory.GetFiles(".ktp/fleet", "worker-*.pid") : [])
        {
            var pid = File.ReadAllText(pidFile).Trim();
            var status = $"/proc/{pid}/status";
            if (!File.Exists(status)) continue;
            var mem = File.ReadAllLines(status).Where(l => l.StartsWith("VmRSS") || l.StartsWith("VmHWM")).Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
            Console.WriteLine($"  {Path.GetFileNameWithoutExtension(pidFile)} (pid {pid}): {string.Join(", ", mem)}");
        }
        return finished == count ? 0 : 1;
    }

    /// <summary>One card upload for the end-to-end run (not CPU-critical: OCR bounds it).</summary>
    private static async Task<int> PostAsync(HttpClient http, byte[] image)
    {
        using var content = new MultipartFormDataContent { { new ByteArrayContent(image), "image", "card.jpg" } };
        try
        {
            using var r = await http.PostAsync("/v1/ktp-jobs", content);
            return (int)r.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
