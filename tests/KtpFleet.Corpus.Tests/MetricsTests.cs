using KtpFleet.Corpus.Bench;
using KtpFleet.Corpus.Capture;
using KtpFleet.Corpus.Generation;
using KtpFleet.Corpus.Rendering;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Corpus.Tests;

public sealed class MetricsTests
{
    [Theory]
    [InlineData("SETIAWAN", "setiawan", true)]
    [InlineData("  JL.  ANGSANA NO 21 ", "JL. ANGSANA NO 21", true)]
    [InlineData("JL. ANGSANA NO 2I", "JL. ANGSANA NO 21", false)]
    [InlineData(null, "KAWIN", false)]
    public void Exact_match_is_after_normalisation(string? read, string truth, bool expected) =>
        Assert.Equal(expected, TextMetrics.ExactMatch(read, truth));

    [Theory]
    [InlineData("KITTEN", "SITTING", 3)]
    [InlineData("", "KAWIN", 5)]
    [InlineData(null, "KAWIN", 5)]
    [InlineData("BELUM KAWIN", "BELUM  KAWIN", 0)]
    [InlineData("3171O12345678901", "3171012345678901", 1)]
    [InlineData("KAWINN", "KAWIN", 1)]
    public void Edit_distance_counts_insertions_deletions_substitutions(string? read, string truth, int distance) =>
        Assert.Equal(distance, TextMetrics.EditDistance(read, truth));

    [Fact]
    public void Quantiles_interpolate()
    {
        Assert.Equal(3, TextMetrics.Quantile([5, 1, 3], 0.5));
        Assert.Equal(2.5, TextMetrics.Quantile([1, 2, 3, 4], 0.5));
        Assert.Equal(9.55, TextMetrics.Quantile([.. Enumerable.Range(0, 11).Select(i => (double)i)], 0.955), 6);
        Assert.True(double.IsNaN(TextMetrics.Quantile([], 0.5)));
    }

    [Fact]
    public void Scorer_counts_exact_cer_confidence_and_checks_on_hand_made_results()
    {
        var truthA = Truth("a", new() { [KtpField.Nama] = "SITI AMINAH", [KtpField.Agama] = "ISLAM" }, []);
        var truthB = Truth("b", new() { [KtpField.Nama] = "BUDI", [KtpField.Agama] = "KRISTEN" }, [CheckNames.BirthDate]);
        var truthC = Truth("c", new() { [KtpField.Nama] = "ANI", [KtpField.Agama] = "HINDU" }, [CheckNames.Sex]);
        var outcomes = new List<CardOutcome>
        {
            // a: both right, both confident; a false alarm on the birth date.
            new(truthA, Result(new() { [KtpField.Nama] = ("SITI AMINAH", 0.95), [KtpField.Agama] = ("ISLAM", 0.99) },
                (CheckNames.BirthDate, CheckStatus.Failed)), null, 10),
            // b: name misread but confident (1 edit in 4), religion missing; the birth-date mismatch is caught.
            new(truthB, Result(new() { [KtpField.Nama] = ("BUDL", 0.93), [KtpField.Agama] = (null, 0) },
                (CheckNames.BirthDate, CheckStatus.Failed), (CheckNames.Sex, CheckStatus.Passed)), null, 10),
            // c: the extractor failed: everything wrong, the sex mismatch missed.
            new(truthC, null, "KtpImageException: unreadable", 10),
        };

        var report = AccuracyScorer.Score("all", outcomes, new VerdictPolicy { AutoAcceptConfidence = 0.90 });

        var nama = report.Fields[KtpField.Nama];
        Assert.Equal((3, 1, 2, 1 + 3), (nama.Cards, nama.Exact, nama.Confident, (int)nama.EditDistance));
        Assert.Equal(11 + 4 + 3, nama.TruthCharacters);
        Assert.Equal(0.5, nama.AutoAcceptPrecision);
        var agama = report.Fields[KtpField.Agama];
        Assert.Equal((1, 1, 1), (agama.Exact, agama.Confident, agama.ConfidentExact));
        Assert.Equal((7 + 5) / 17.0, agama.CharacterErrorRate, 9);
        Assert.Equal(6, report.Overall.Cards);
        Assert.Equal(1, report.AllFieldsExact);
        Assert.Equal(1, report.Errors);

        Assert.Equal(new CheckScore(1, 1, 0, 1), report.Checks[CheckNames.BirthDate]);
        Assert.Equal(new CheckScore(0, 0, 1, 2), report.Checks[CheckNames.Sex]);
        Assert.Equal(0.5, report.ChecksOverall.Precision);
        Assert.Equal(0.5, report.ChecksOverall.Recall);
        Assert.Equal(1, report.Verdicts["Error"]);
    }

    [Fact]
    public void Mistakes_list_wrong_fields_and_checks_that_disagree_with_their_labels()
    {
        var right = Truth("r", new() { [KtpField.Nama] = "BUDI" }, []);
        var wrong = Truth("w", new() { [KtpField.Nama] = "ANI", [KtpField.Agama] = "HINDU" }, [CheckNames.Sex]);
        var mistakes = BenchRunner.Mistakes(
        [
            new(right, Result(new() { [KtpField.Nama] = ("BUDI", 0.99) }), null, 1),
            new(wrong, Result(new() { [KtpField.Nama] = ("AN1", 0.5), [KtpField.Agama] = ("HINDU", 0.99) }, (CheckNames.BirthDate, CheckStatus.Failed)), null, 1),
        ]);
        var card = Assert.Single(mistakes);
        Assert.Equal("w", card.Id);
        Assert.Equal([new FieldMistake(KtpField.Nama, "AN1", "ANI", 0.5)], card.Fields);
        Assert.Equal([CheckNames.Sex], card.MissedChecks);
        Assert.Equal([CheckNames.BirthDate], card.FalseChecks);
    }

    [Fact]
    public void Confidence_threshold_comes_from_the_policy_per_field()
    {
        var read = new FieldResult("ISLAM", 0.85, "ISLAM", null);
        var strict = AccuracyScorer.ScoreField(read, "ISLAM", new VerdictPolicy { AutoAcceptConfidence = 0.90 }.ThresholdFor(KtpField.Agama));
        var lenient = AccuracyScorer.ScoreField(read, "ISLAM", new VerdictPolicy { FieldConfidence = new Dictionary<string, double> { [KtpField.Agama] = 0.8 } }.ThresholdFor(KtpField.Agama));
        Assert.Equal(0, strict.Confident);
        Assert.Equal(1, lenient.ConfidentExact);
    }

    [Fact]
    public void Report_renders_markdown_and_json_with_every_field()
    {
        var truth = Truth("a", KtpField.All.ToDictionary(f => f, f => f.ToUpperInvariant()), []);
        var outcome = new CardOutcome(truth, Result(KtpField.All.ToDictionary(f => f, f => ((string?)f.ToUpperInvariant(), 0.99))), null, 5);
        var accuracy = new List<AccuracyReport> { AccuracyScorer.Score("all", [outcome], VerdictPolicy.Default), AccuracyScorer.Score("clean", [outcome], VerdictPolicy.Default) };
        var speed = new SpeedReport
        {
            Engines = 2, SequentialCards = 1, MedianCpuMs = 100, P95CpuMs = 120, MedianWallMs = 101, P95WallMs = 130,
            CardsPerSecondOneEngine = 9.9, CardsPerSecondAllEngines = 18.5, PeakMemoryMb = 150, StageMeanMs = new Dictionary<string, double> { ["recognise"] = 80 },
        };
        var report = new BenchReport
        {
            Command = "ktp bench --corpus x", Machine = "test", StartedUtc = "now", Corpus = "x", Cards = 1,
            CardsPerProfile = new Dictionary<string, int> { ["clean"] = 1 },
            Extractor = new ExtractorReport("extractor", accuracy, speed),
            Baseline = new ExtractorReport("baseline", accuracy, speed with { CardsPerSecondAllEngines = 3.7 }),
        };
        var md = report.ToMarkdown();
        Assert.Contains("| field exact match | 100.0% | 100.0% | 1.00× |", md);
        Assert.Contains("| cards/s, 2 engines | 18.5 | 3.7 | 5.00× |", md);
        Assert.All(KtpField.All, f => Assert.Contains($"| {f} | 100.0% |", md));
        var json = report.ToJson();
        Assert.Contains("\"cards_per_second_all_engines\": 18.5", json);
        Assert.Contains("NaN", json); // the check rates of a corpus without inconsistencies are not measurable
    }

    internal static GroundTruth Truth(string id, Dictionary<string, string> fields, IReadOnlyList<string> expectedFailed) => new()
    {
        Id = id, Image = id + ".png", Profile = "clean", Fields = fields, ExpectedFailedChecks = expectedFailed,
        Inconsistency = "none", NikRegionCode = "317101", PrintedRegionCode = "317101", Foreigner = false,
        Corners = [], Rotation = 0, FieldBoxes = new Dictionary<string, Box>(),
        Capture = CapturePlanner.Plan(CaptureProfile.Clean, new CardRandom(1)),
        Layout = new LayoutStyle(0, 0, 1, 30, "OCRA", false, 0),
    };

    private static KtpResult Result(Dictionary<string, (string? Value, double Confidence)> fields, params (string Name, CheckStatus Status)[] checks) => new()
    {
        Fields = fields.ToDictionary(kv => kv.Key, kv => new FieldResult(kv.Value.Value, kv.Value.Confidence, kv.Value.Value, null)),
        Checks = [.. checks.Select(c => new CheckResult(c.Name, c.Status))],
        Verdict = new VerdictResult(Verdict.NeedsReview, []),
        Engine = new EngineInfo("5.3.0", "test", "test"),
        TimingsMs = new Dictionary<string, double>(),
    };
}
