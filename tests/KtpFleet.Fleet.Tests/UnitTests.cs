using System.Diagnostics.Metrics;
using KtpFleet.Fleet.Logging;
using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Tenants;
using Serilog.Events;
using Serilog.Formatting.Json;
using Serilog.Parsing;

namespace KtpFleet.Fleet.Tests;

public sealed class PiiMaskTests
{
    [Theory]
    [InlineData("nik 3174091201990001 read", "nik 31************** read")]
    [InlineData("3174 0912 0199 0001", "31**************")]
    [InlineData("31.74.09.120199.0001", "31**************")]
    [InlineData("order 12345678901234567 (17 digits) stays", "order 12345678901234567 (17 digits) stays")]
    [InlineData("2026-11-22T05:27:49.1453439+00:00", "2026-11-22T05:27:49.1453439+00:00")]
    public void Masks_nik_like_runs_only(string input, string expected) => Assert.Equal(expected, PiiMask.MaskText(input));

    [Fact]
    public void The_json_log_formatter_masks_whatever_the_event_carries()
    {
        var formatter = new MaskingFormatter(new JsonFormatter(renderMessage: true));
        var template = new MessageTemplateParser().Parse("Read {Nik} for {Name}");
        var e = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, template,
            [new LogEventProperty("Nik", new ScalarValue("3174091201990001")), new LogEventProperty("Name", new ScalarValue("x"))]);
        using var w = new StringWriter();
        formatter.Format(e, w);
        Assert.DoesNotContain("3174091201990001", w.ToString());
        Assert.Contains("31**************", w.ToString());
    }
}

public sealed class TenantPolicyFileTests
{
    [Fact]
    public async Task Reloads_on_change_and_keeps_the_last_good_policy_on_a_bad_edit()
    {
        var path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{ "default": { "rate_limit_per_second": 10 }, "tenants": { "acme": { "verdict": { "auto_accept_confidence": 0.5 } } } }""");
        using var policies = new TenantPolicyFile(path, TimeSpan.FromMilliseconds(100));
        var reloads = 0;
        var failures = 0;
        policies.Reloaded += _ => Interlocked.Increment(ref reloads);
        policies.ReloadFailed += _ => Interlocked.Increment(ref failures);
        Assert.Equal(10, policies.For("other").RateLimitPerSecond);
        Assert.Equal(10, policies.For("acme").RateLimitPerSecond); // inherited from the file's default
        Assert.Equal(0.5, policies.For("acme").Verdict.AutoAcceptConfidence);
        Assert.Equal(TenantPolicy.Default.MaxImageBytes, policies.For("acme").MaxImageBytes);

        await File.WriteAllTextAsync(path, """{ "tenants": { "acme": { "verdict": { "auto_accept_confidence": 0.75 }, "max_image_bytes": 1000 } } }""");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        await WaitUntil(() => policies.For("acme").Verdict.AutoAcceptConfidence == 0.75);
        Assert.Equal(1000, policies.For("acme").MaxImageBytes);
        Assert.True(reloads >= 1);

        await File.WriteAllTextAsync(path, "{ not json");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(10));
        await WaitUntil(() => failures > 0);
        Assert.Equal(0.75, policies.For("acme").Verdict.AutoAcceptConfidence);
        File.Delete(path);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Writes_counters_gauges_and_cumulative_histograms()
    {
        var meterName = "test-" + Guid.NewGuid().ToString("N");
        using var exporter = new PrometheusExporter(meterName);
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("jobs.done", description: "Jobs \"done\"");
        var histogram = meter.CreateHistogram<double>("stage_duration", unit: "s");
        var updown = meter.CreateUpDownCounter<long>("in_flight");
        meter.CreateObservableGauge("idle", () => 3);
        counter.Add(2, new KeyValuePair<string, object?>("tenant", "a\"b"));
        counter.Add(3, new KeyValuePair<string, object?>("tenant", "a\"b"));
        histogram.Record(0.003);
        histogram.Record(0.2);
        histogram.Record(100);
        updown.Add(5);
        updown.Add(-2);

        var text = exporter.Scrape();
        Assert.Contains("# HELP jobs_done_total Jobs \"done\"\n# TYPE jobs_done_total counter\njobs_done_total{tenant=\"a\\\"b\"} 5\n", text);
        Assert.Contains("# TYPE stage_duration_seconds histogram\n", text);
        Assert.Contains("stage_duration_seconds_bucket{le=\"0.001\"} 0\n", text);
        Assert.Contains("stage_duration_seconds_bucket{le=\"0.005\"} 1\n", text);
        Assert.Contains("stage_duration_seconds_bucket{le=\"0.25\"} 2\n", text);
        Assert.Contains("stage_duration_seconds_bucket{le=\"60\"} 2\n", text);
        Assert.Contains("stage_duration_seconds_bucket{le=\"+Inf\"} 3\n", text);
        Assert.Contains("stage_duration_seconds_count 3\n", text);
        Assert.Contains("stage_duration_seconds_sum 100.203\n", text);
        Assert.Contains("# TYPE in_flight gauge\nin_flight 3\n", text);
        Assert.Contains("idle 3\n", text);
        Assert.Contains("idle 3\n", exporter.Scrape()); // observed again, not accumulated
    }
}

public sealed class ContractTests
{
    [Fact]
    public void Job_message_round_trips_and_rejects_unknown_versions()
    {
        var m = JobMessage.For(Guid.NewGuid(), "acme", "seg:20261201T120000-0123456789ab.seg@0+10", "ab12", DateTimeOffset.UtcNow);
        Assert.Equal(m, JobMessage.Parse(m.ToBytes()));
        Assert.Contains("\"v\":1", System.Text.Encoding.UTF8.GetString(m.ToBytes()));
        Assert.Throws<FormatException>(() => JobMessage.Parse((m with { Version = 2 }).ToBytes()));
        Assert.Throws<FormatException>(() => JobMessage.Parse("{oops"u8));
    }

    [Fact]
    public void Api_keys_parse_and_verify()
    {
        var key = ApiKey.Generate();
        Assert.True(ApiKey.TryParse(key.ToString(), out var parsed));
        Assert.Equal(key, parsed);
        Assert.True(parsed.Matches(key.SecretHash()));
        Assert.False(ApiKey.TryParse("ktp_short_x", out _));
        Assert.False(ApiKey.TryParse(null, out _));
    }
}

public sealed class SecondOpinionSettingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tessdata-second").FullName;

    [Fact]
    public void The_default_second_opinion_is_used_only_where_the_model_set_is_there()
    {
        Assert.Null(Worker.ExtractorFactory.SecondOpinionVersion(null, _root));    // a model image with one set still starts
        var set = Path.Combine(_root, Ocr.Engine.TessdataSet.SecondOpinionVersion);
        Directory.CreateDirectory(set);
        File.WriteAllText(Path.Combine(set, "manifest.json"), "{}");
        Assert.Equal(Ocr.Engine.TessdataSet.SecondOpinionVersion, Worker.ExtractorFactory.SecondOpinionVersion("", _root));
    }

    [Fact]
    public void None_turns_it_off_and_a_named_version_is_taken_as_asked()
    {
        Assert.Null(Worker.ExtractorFactory.SecondOpinionVersion("none", _root));
        // Named but absent: kept, so the extractor's start-up fails with the missing set's name rather than running without it.
        Assert.Equal("9.9.9-x", Worker.ExtractorFactory.SecondOpinionVersion("9.9.9-x", _root));
    }

    [Theory]
    [InlineData(Ocr.Engine.TessdataSet.ThirdOpinionVersion)]
    [InlineData(Ocr.Engine.TessdataSet.NikModelVersion)]
    public void The_third_opinion_and_the_nik_model_are_chosen_as_the_second_opinion_is(string version)
    {
        Func<string?, string, string?> choose = version == Ocr.Engine.TessdataSet.NikModelVersion
            ? Worker.ExtractorFactory.NikModelVersion
            : Worker.ExtractorFactory.ThirdOpinionVersion;
        Assert.Null(choose(null, _root));
        var set = Path.Combine(_root, version);
        Directory.CreateDirectory(set);
        File.WriteAllText(Path.Combine(set, "manifest.json"), "{}");
        Assert.Equal(version, choose("", _root));
        Assert.Null(choose("none", _root));
        Assert.Equal("ktp-9", choose("ktp-9", _root));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
