using System.Diagnostics;
using KtpFleet.Corpus.Generation;
using KtpFleet.Ocr;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Corpus.Bench;

/// <summary>A corpus card ready for the benchmark: its ground truth and where its image is.</summary>
public sealed record BenchCard(GroundTruth Truth, string ImagePath);

/// <summary>Speed of one extractor: CPU per card from a one-at-a-time pass, throughput at 1 and N engines.</summary>
public sealed record SpeedReport
{
    public required int Engines { get; init; }
    public required int SequentialCards { get; init; }
    public required double MedianCpuMs { get; init; }
    public required double P95CpuMs { get; init; }
    public required double MedianWallMs { get; init; }
    public required double P95WallMs { get; init; }
    public required double CardsPerSecondOneEngine { get; init; }
    public required double CardsPerSecondAllEngines { get; init; }
    public required double PeakMemoryMb { get; init; }
    /// <summary>Mean milliseconds per pipeline stage, from the results' <c>timings_ms</c>.</summary>
    public required IReadOnlyDictionary<string, double> StageMeanMs { get; init; }
}

public sealed record ExtractorReport(string Name, IReadOnlyList<AccuracyReport> Accuracy, SpeedReport Speed)
{
    /// <summary>Every wrong field and every check disagreeing with its label, card by card (synthetic data only), for tuning.</summary>
    public IReadOnlyList<CardMistakes> Mistakes { get; init; } = [];
}

public sealed record FieldMistake(string Field, string? Read, string Truth, double Confidence);

public sealed record CardMistakes(string Id, string Profile, string? Error, IReadOnlyList<FieldMistake> Fields,
    IReadOnlyList<string> MissedChecks, IReadOnlyList<string> FalseChecks);

/// <summary>
/// Runs an extractor over a corpus: an accuracy pass with N engines busy at once (which also gives cards/s at N),
/// then a one-card-at-a-time pass on a 1-engine extractor over the first cards (after an untimed round over the same
/// cards) for CPU time per card and cards/s at 1 engine. Errors are recorded per card, never fatal.
/// </summary>
public static class BenchRunner
{
    public static IReadOnlyList<BenchCard> LoadCorpus(string directory, int? limit)
    {
        var manifest = CorpusJson.ReadManifest(directory);
        var entries = limit is { } n ? manifest.Cards.Take(n) : manifest.Cards;
        return [.. entries.Select(e => new BenchCard(CorpusJson.ReadGroundTruth(directory, e), Path.Combine(directory, e.Image)))];
    }

    public static async Task<ExtractorReport> RunAsync(string name, Func<int, IKtpExtractor> create, IReadOnlyList<BenchCard> cards,
        int engines, int sequentialCards, VerdictPolicy policy, IProgress<(string Phase, int Done)>? progress = null, CancellationToken ct = default)
    {
        IReadOnlyList<CardOutcome> outcomes;
        double parallelSeconds;
        var extractor = create(engines);
        try
        {
            (outcomes, parallelSeconds) = await ParallelPassAsync(extractor, cards, engines, policy, p => progress?.Report(($"{name}: accuracy, {engines} engines", p)), ct);
        }
        finally
        {
            (extractor as IDisposable)?.Dispose();
        }

        var sample = cards.Take(Math.Max(1, Math.Min(sequentialCards, cards.Count))).ToList();
        var cpu = new List<double>();
        var wall = new List<double>();
        var one = create(1);
        async Task ExtractOnceAsync(byte[] bytes)
        {
            try { await one.ExtractAsync(bytes, new ExtractOptions { Policy = policy }, ct); }
            catch (Exception e) when (e is not OperationCanceledException) { /* counted in the accuracy pass */ }
        }
        double sequentialSeconds;
        try
        {
            // One untimed round first: the runtime re-compiles hot code optimised only after it has run a while
            // (tiered JIT), and that compiling would otherwise be counted against the first cards timed. A worker
            // runs for hours; its steady state is what a card costs.
            for (var i = 0; i < sample.Count; i++)
            {
                await ExtractOnceAsync(await File.ReadAllBytesAsync(sample[i].ImagePath, ct));
                progress?.Report(($"{name}: speed warm-up, 1 engine", i + 1));
            }
            var process = Process.GetCurrentProcess();
            foreach (var card in sample)
            {
                var bytes = await File.ReadAllBytesAsync(card.ImagePath, ct);
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                await ExtractOnceAsync(bytes);
                wall.Add(watch.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                progress?.Report(($"{name}: speed, 1 engine", cpu.Count));
            }
            // Throughput counts the cards' own time only, not reading the files.
            sequentialSeconds = wall.Sum() / 1000;
        }
        finally
        {
            (one as IDisposable)?.Dispose();
        }

        var stages = outcomes.Where(o => o.Result is not null)
            .SelectMany(o => o.Result!.TimingsMs)
            .GroupBy(kv => kv.Key)
            .ToDictionary(g => g.Key, g => Math.Round(g.Average(kv => kv.Value), 2));

        var speed = new SpeedReport
        {
            Engines = engines,
            SequentialCards = sample.Count,
            MedianCpuMs = Math.Round(TextMetrics.Quantile(cpu, 0.5), 1),
            P95CpuMs = Math.Round(TextMetrics.Quantile(cpu, 0.95), 1),
            MedianWallMs = Math.Round(TextMetrics.Quantile(wall, 0.5), 1),
            P95WallMs = Math.Round(TextMetrics.Quantile(wall, 0.95), 1),
            CardsPerSecondOneEngine = Math.Round(sample.Count / sequentialSeconds, 2),
            CardsPerSecondAllEngines = Math.Round(cards.Count / parallelSeconds, 2),
            PeakMemoryMb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            StageMeanMs = stages,
        };

        var accuracy = new List<AccuracyReport> { AccuracyScorer.Score("all", outcomes, policy) };
        accuracy.AddRange(outcomes.GroupBy(o => o.Truth.Profile)
            .OrderBy(g => Array.IndexOf(["clean", "scan", "photo", "hard"], g.Key))
            .Select(g => AccuracyScorer.Score(g.Key, [.. g], policy)));
        return new ExtractorReport(name, accuracy, speed) { Mistakes = Mistakes(outcomes) };
    }

    internal static IReadOnlyList<CardMistakes> Mistakes(IReadOnlyList<CardOutcome> outcomes)
    {
        var list = new List<CardMistakes>();
        foreach (var o in outcomes)
        {
            var fields = o.Truth.Fields
                .Select(kv => (kv, read: o.Result?.Fields.GetValueOrDefault(kv.Key)))
                .Where(x => !TextMetrics.ExactMatch(x.read?.Value, x.kv.Value))
                .Select(x => new FieldMistake(x.kv.Key, x.read?.Value, x.kv.Value, x.read?.Confidence ?? 0))
                .ToList();
            var failed = o.Result?.Checks.Where(c => c.Status == Ocr.Results.CheckStatus.Failed).Select(c => c.Name).ToHashSet() ?? [];
            var missed = o.Truth.ExpectedFailedChecks.Where(c => !failed.Contains(c)).ToList();
            var extra = CheckNames.Labelled.Where(c => failed.Contains(c) && !o.Truth.ExpectedFailedChecks.Contains(c)).ToList();
            if (o.Error is not null || fields.Count > 0 || missed.Count > 0 || extra.Count > 0)
                list.Add(new CardMistakes(o.Truth.Id, o.Truth.Profile, o.Error, fields, missed, extra));
        }
        return list;
    }

    private static async Task<(IReadOnlyList<CardOutcome>, double Seconds)> ParallelPassAsync(IKtpExtractor extractor,
        IReadOnlyList<BenchCard> cards, int concurrency, VerdictPolicy policy, Action<int> progress, CancellationToken ct)
    {
        var outcomes = new CardOutcome[cards.Count];
        var done = 0;
        var total = Stopwatch.StartNew();
        await Parallel.ForAsync(0, cards.Count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (i, token) =>
            {
                // Read per card (not all up front) so peak memory is the extractor's, not the corpus's.
                var image = await File.ReadAllBytesAsync(cards[i].ImagePath, token);
                var watch = Stopwatch.StartNew();
                try
                {
                    var result = await extractor.ExtractAsync(image, new ExtractOptions { Policy = policy }, token);
                    outcomes[i] = new CardOutcome(cards[i].Truth, result, null, watch.Elapsed.TotalMilliseconds);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    outcomes[i] = new CardOutcome(cards[i].Truth, null, $"{e.GetType().Name}: {e.Message}", watch.Elapsed.TotalMilliseconds);
                }
                progress(Interlocked.Increment(ref done));
            });
        return (outcomes, total.Elapsed.TotalSeconds);
    }
}
