using KtpFleet.Corpus.Bench;
using KtpFleet.Ocr;
using KtpFleet.Ocr.Pipeline;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Corpus.Tests;

/// <summary>Rendered cards read back by the real extractor and the baseline (real Tesseract, real images).</summary>
[Collection(RenderedCorpusCollection.Name)]
public sealed class ExtractorRoundTripTests(RenderedCorpusFixture corpus)
{
    [Fact]
    public async Task Clean_cards_read_back_by_the_extractor_match_their_ground_truth()
    {
        using var extractor = KtpExtractor.Create(new OcrOptions { Engines = 1 });
        var clean = Enumerable.Range(0, corpus.Manifest.Cards.Count).Where(i => corpus.Manifest.Cards[i].Profile == "clean").ToList();
        Assert.NotEmpty(clean);
        var wrong = new List<string>();
        foreach (var i in clean)
        {
            var truth = corpus.Truth(i);
            var result = await extractor.ExtractAsync(await File.ReadAllBytesAsync(Path.Combine(corpus.Directory, truth.Image)));
            foreach (var field in KtpField.All)
            {
                var read = result.Fields.GetValueOrDefault(field)?.Value;
                if (!TextMetrics.ExactMatch(read, truth.Fields[field]))
                    wrong.Add($"{truth.Id} {field}: read '{read}', printed '{truth.Fields[field]}'");
            }
            var failed = result.Checks.Where(c => c.Status == CheckStatus.Failed && Generation.CheckNames.Labelled.Contains(c.Name)).Select(c => c.Name).Order();
            if (!failed.SequenceEqual(truth.ExpectedFailedChecks.Order()))
                wrong.Add($"{truth.Id}: failed checks [{string.Join(", ", failed)}], labelled [{string.Join(", ", truth.ExpectedFailedChecks)}]");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Benchmark_runs_both_extractors_on_the_corpus_and_the_extractor_beats_the_baseline_on_clean_cards()
    {
        var cards = Bench.BenchRunner.LoadCorpus(corpus.Directory, limit: 8);
        var extractor = await BenchRunner.RunAsync("extractor", e => KtpExtractor.Create(new OcrOptions { Engines = e }), cards, 2, 2, VerdictPolicy.Default);
        var baseline = await BenchRunner.RunAsync("baseline", e => BaselineExtractor.Create(e), cards, 2, 2, VerdictPolicy.Default);

        foreach (var report in new[] { extractor, baseline })
        {
            Assert.Equal(8, report.Accuracy[0].Cards);
            Assert.Equal(0, report.Accuracy[0].Errors);
            Assert.Equal(["all", "clean", "scan", "photo", "hard"], report.Accuracy.Select(a => a.Group));
            Assert.True(report.Speed.MedianCpuMs > 0 && report.Speed.CardsPerSecondAllEngines > 0 && report.Speed.PeakMemoryMb > 0);
            Assert.Contains("recognise", report.Speed.StageMeanMs.Keys);
        }
        var cleanExtractor = extractor.Accuracy.Single(a => a.Group == "clean");
        var cleanBaseline = baseline.Accuracy.Single(a => a.Group == "clean");
        Assert.True(cleanBaseline.Overall.Exact > 0, "the baseline read nothing right: it is not running Tesseract");
        Assert.True(cleanExtractor.Overall.ExactRate > cleanBaseline.Overall.ExactRate,
            $"extractor {cleanExtractor.Overall.ExactRate:P1} vs baseline {cleanBaseline.Overall.ExactRate:P1} on clean cards");
    }
}
