using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KtpFleet.Deploy.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace KtpFleet.Deploy.Tests;

/// <summary>
/// Every metric a dashboard panel queries must be one the running fleet really exposes: the built ingest API and
/// worker, started against the real services of scripts/services.sh and driven through accepted, duplicate,
/// rejected, rate-limited, processed and failed jobs, and RabbitMQ's prometheus plugin (aggregated and per-object).
/// </summary>
public sealed class DashboardMetricsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string PostgresAdmin = "Host=127.0.0.1;Port=5433;Username=ktp;Password=ktp-dev;Database=ktp";
    private readonly string _database = "ktp_deploy_" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _pipeline = "deploy" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _policyFile = Path.Combine(Path.GetTempPath(), $"ktp-deploy-policy-{Guid.NewGuid():N}.json");
    private FleetProcess? _api, _worker;

    private string Postgres => new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = _database }.ConnectionString;

    public async Task InitializeAsync()
    {
        var services = await Tool.RunAsync(Path.Combine(Repo.Root, "scripts", "services.sh"), ["start"], new Dictionary<string, string> { ["KTP_ROOT"] = Repo.Root });
        Assert.True(services.ExitCode == 0, services.All);
        await using var admin = NpgsqlDataSource.Create(PostgresAdmin);
        await using (var cmd = admin.CreateCommand($"CREATE DATABASE {_database}")) await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        _worker?.Dispose();
        _api?.Dispose();
        File.Delete(_policyFile);
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(PostgresAdmin);
        await using (var cmd = admin.CreateCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)")) await cmd.ExecuteNonQueryAsync();
        using var http = RabbitManagement();
        foreach (var q in new[] { "", ".dead", ".retry" })
            await http.DeleteAsync($"api/queues/%2F/{Uri.EscapeDataString($"ktp.jobs.{_pipeline}{q}")}");
    }

    [Fact]
    public async Task Migrate_command_applies_the_schema_once_and_fails_clearly_without_a_database()
    {
        var env = new Dictionary<string, string> { ["KTP_POSTGRES"] = Postgres };
        var first = await Tool.RunAsync("dotnet", [Repo.IngestDll, "migrate"], env);
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("applied migrations: 1", first.StdOut);
        var again = await Tool.RunAsync("dotnet", [Repo.IngestDll, "migrate"], env);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("database is current", again.StdOut);
        await using var db = NpgsqlDataSource.Create(Postgres);
        await using (var cmd = db.CreateCommand("SELECT count(*) FROM schema_migrations"))
            Assert.True(Convert.ToInt64(await cmd.ExecuteScalarAsync()) >= 1);

        var bad = await Tool.RunAsync("dotnet", [Repo.IngestDll, "migrate"],
            new Dictionary<string, string> { ["KTP_POSTGRES"] = "Host=127.0.0.1;Port=1;Username=ktp;Password=s3cret-pw;Database=ktp;Timeout=3" });
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("error: migration failed", bad.StdErr);
        Assert.DoesNotContain("s3cret-pw", bad.All);
    }

    [Fact]
    public async Task Every_dashboard_query_uses_metric_names_the_running_fleet_and_rabbitmq_expose()
    {
        var (tenant, key) = await CreateTenantAsync();
        // A tight rate limit for this tenant so a burst produces 429s.
        await File.WriteAllTextAsync(_policyFile, JsonSerializer.Serialize(new { tenants = new Dictionary<string, object> { [tenant] = new { rate_limit_per_second = 4 } } }));
        var env = new Dictionary<string, string>
        {
            ["KTP_POSTGRES"] = Postgres, ["KTP_PIPELINE"] = _pipeline, ["KTP_TENANT_POLICY_FILE"] = _policyFile,
            ["KTP_ENGINES"] = "1", ["KTP_MAX_ATTEMPTS"] = "1", ["KTP_WORKER_NAME"] = "deploy-metrics",
        };
        _api = await FleetProcess.StartAsync(Repo.IngestDll, env);
        _worker = await FleetProcess.StartAsync(Repo.WorkerDll, env);

        using var http = new HttpClient { BaseAddress = _api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var specimen = await File.ReadAllBytesAsync(Specimen("setiawan.jpg"));
        var statuses = new List<HttpStatusCode>
        {
            await UploadAsync(http, specimen),               // accepted, then processed by the worker
            await UploadAsync(http, specimen),               // duplicate
            await UploadAsync(http, Undecodable(specimen)),  // accepted (header is fine), fails in the worker
            await UploadAsync(http, new byte[64]),           // rejected at upload
        };
        for (var i = 0; i < 10 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
            statuses.Add(await UploadAsync(http, Unique(specimen, i)));
        output.WriteLine("upload statuses: " + string.Join(", ", statuses));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        string api = "", worker = "";
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            api = await ScrapeAsync(new Uri(_api.BaseAddress, "/metrics"));
            worker = await ScrapeAsync(new Uri(_worker.BaseAddress, "/metrics"));
            if (worker.Contains("ktp_jobs_processed_total{", StringComparison.Ordinal) && worker.Contains("ktp_jobs_failed_total{", StringComparison.Ordinal)) break;
            await Task.Delay(500);
        }
        output.WriteLine($"worker log tail:\n{_worker.Log}");
        var rabbit = await ScrapeAsync(new Uri("http://127.0.0.1:15693/metrics")) + await ScrapeAsync(new Uri("http://127.0.0.1:15693/metrics/per-object"));
        var exposed = PromQl.ExposedNames(api).Union(PromQl.ExposedNames(worker)).Union(PromQl.ExposedNames(rabbit)).ToHashSet();
        // The operator needs an API server to run; its metric names are taken from its code (the strings it sets).
        var operatorNames = OperatorMetricNames();
        Assert.Contains("ktp_operator_desired_replicas", operatorNames);

        var missing = new List<string>();
        var queried = new HashSet<string>();
        foreach (var (panel, expr) in Queries())
            foreach (var name in PromQl.MetricNames(expr))
            {
                queried.Add(name);
                if (!exposed.Contains(name) && !operatorNames.Contains(name)) missing.Add($"{panel}: {name}");
            }
        output.WriteLine($"{queried.Count} metric names queried: {string.Join(", ", queried.Order())}");
        Assert.True(missing.Count == 0, "not exposed by the fleet or RabbitMQ:\n" + string.Join('\n', missing) +
            $"\n\napi:\n{api}\nworker:\n{worker}");

        // Labels the panels group by must exist on the series.
        Assert.Contains("verdict", PromQl.LabelNames(worker, "ktp_jobs_processed_total"));
        Assert.Contains("reason", PromQl.LabelNames(worker, "ktp_jobs_failed_total"));
        Assert.Contains("stage", PromQl.LabelNames(worker, "ktp_stage_duration_seconds_bucket"));
        Assert.Contains("code", PromQl.LabelNames(api, "ktp_jobs_rejected_total"));
        Assert.Contains("scope", PromQl.LabelNames(api, "ktp_jobs_rate_limited_total"));
        Assert.Contains($"queue=\"ktp.jobs.{_pipeline}\"", rabbit);

        // And a real Prometheus scraping the same three processes runs every panel query as Grafana would send it.
        using var prometheus = await LocalPrometheus.StartAsync(Tool.PrometheusBinary, new Dictionary<string, (string, string)>
        {
            ["ingest-api"] = ("/metrics", _api.BaseAddress.Authority),
            ["workers"] = ("/metrics", _worker.BaseAddress.Authority),
            ["rabbitmq"] = ("/metrics/per-object", "127.0.0.1:15693"),
        });
        await prometheus.WaitForScrapesAsync(3);
        var problems = new List<string>();
        foreach (var (panel, expr) in Queries().Where(q => !q.Panel.StartsWith("variable", StringComparison.Ordinal)))
        {
            var query = expr.Replace("$__rate_interval", "30s").Replace("$pipeline", Regex.Escape(_pipeline).Replace("\\", "\\\\"));
            var (ok, result) = await prometheus.QueryAsync(query);
            if (!ok) problems.Add($"{panel}: {query}: {result}");
            // Operator series need a running operator (an API server); everything else has data by now.
            else if (result.GetArrayLength() == 0 && !expr.Contains("ktp_operator_", StringComparison.Ordinal)) problems.Add($"{panel}: {query}: no data");
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Dashboard_has_every_panel_the_issue_asks_for()
    {
        var titles = Queries().Select(q => q.Panel.ToLowerInvariant()).Distinct().ToList();
        foreach (var topic in new[] { "queue depth", "publish vs deliver", "desired", "by verdict", "latency", "failure reasons", "dead-lettered", "429", "engine pool" })
            Assert.True(titles.Any(t => t.Contains(topic, StringComparison.Ordinal)), $"no panel about '{topic}'");
        Assert.Contains(Queries(), q => q.Expr.Contains("rabbitmq_queue_messages_ready", StringComparison.Ordinal));
        Assert.Contains(Queries(), q => q.Expr.Contains("rabbitmq_queue_messages_unacked", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sum by (queue) (rabbitmq_queue_messages_ready{queue=~\"ktp\\\\.jobs\\\\.$pipeline\"})", new[] { "rabbitmq_queue_messages_ready" })]
    [InlineData("histogram_quantile(0.95, sum by (le, stage) (rate(ktp_stage_duration_seconds_bucket[$__rate_interval])))", new[] { "ktp_stage_duration_seconds_bucket" })]
    [InlineData("sum(ktp_jobs_in_flight) / clamp_min(sum(ktp_jobs_in_flight) + sum(ktp_engine_pool_idle), 1)", new[] { "ktp_jobs_in_flight", "ktp_engine_pool_idle" })]
    public void Metric_names_are_read_from_promql(string expr, string[] expected) =>
        Assert.Equal(expected.Order(), PromQl.MetricNames(expr).Order());

    private static IEnumerable<(string Panel, string Expr)> Queries()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Repo.Dashboard))!;
        foreach (var panel in dashboard["panels"]!.AsArray())
        {
            var targets = panel!["targets"]?.AsArray() ?? [];
            Assert.NotEmpty(targets);
            foreach (var t in targets) yield return ((string)panel["title"]!, (string)t!["expr"]!);
        }
        foreach (var v in dashboard["templating"]!["list"]!.AsArray().Where(v => (string?)v!["type"] == "query"))
            yield return ("variable " + v!["name"], Regex.Replace((string)v["query"]!, @"label_values\((\w+).*\)", "$1"));
    }

    private static HashSet<string> OperatorMetricNames() =>
        Directory.EnumerateFiles(Path.Combine(Repo.Root, "operator"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "\"(ktp_operator_[a-z_]+)\"").Select(m => m.Groups[1].Value))
            .ToHashSet();

    private async Task<(string Tenant, string Key)> CreateTenantAsync()
    {
        var r = await Tool.RunAsync("dotnet", [Repo.IngestDll, "tenant", "create", "deploy-" + Guid.NewGuid().ToString("N")[..8]],
            new Dictionary<string, string> { ["KTP_POSTGRES"] = Postgres });
        Assert.True(r.ExitCode == 0, r.All);
        string Field(string label) => Regex.Match(r.StdOut, $@"^{label}:\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;
        return (Field("tenant"), Field("api key"));
    }

    private static async Task<HttpStatusCode> UploadAsync(HttpClient http, byte[] image)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "image", "card.jpg");
        using var response = await http.PostAsync("/v1/ktp-jobs", form);
        return response.StatusCode;
    }

    private static async Task<string> ScrapeAsync(Uri uri)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(uri);
    }

    private static HttpClient RabbitManagement()
    {
        var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:15673/"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("ktp:ktp-dev"u8.ToArray()));
        return http;
    }

    /// <summary>The specimen's JPEG headers (size check passes) followed by noise: decoding fails in the worker.</summary>
    private static byte[] Undecodable(byte[] jpeg)
    {
        var bytes = (byte[])jpeg.Clone();
        var sos = IndexOfMarker(bytes, 0xDA);
        new Random(7).NextBytes(bytes.AsSpan(sos + 2, 4));
        // Corrupt the scan header itself so no decoder can recover a partial image.
        return bytes;
    }

    /// <summary>A distinct copy (new bytes in a COM segment after SOI) so dedupe does not answer it.</summary>
    private static byte[] Unique(byte[] jpeg, int n)
    {
        var comment = System.Text.Encoding.ASCII.GetBytes($"deploy-{Guid.NewGuid():N}-{n}");
        var segment = new byte[4 + comment.Length];
        segment[0] = 0xFF; segment[1] = 0xFE;
        segment[2] = (byte)((comment.Length + 2) >> 8); segment[3] = (byte)(comment.Length + 2);
        comment.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    private static int IndexOfMarker(byte[] b, byte marker)
    {
        for (var i = 2; i < b.Length - 1; i++) if (b[i] == 0xFF && b[i + 1] == marker) return i;
        throw new InvalidDataException("marker not found");
    }

    private static string Specimen(string name)
    {
        for (var dir = new DirectoryInfo(Repo.Root); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "data", "samples", "specimens", name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("specimen not found in ../shared beside the repository", name);
    }
}
