using System.CommandLine;
using System.Runtime.InteropServices;
using KtpFleet.Corpus.Bench;
using KtpFleet.Ocr;
using KtpFleet.Ocr.Pipeline;
using KtpFleet.Ocr.Verdicts;
using Spectre.Console;

namespace KtpFleet.Cli.Commands;

/// <summary><c>ktp bench</c>: accuracy and speed of the extractor (and optionally the baseline) on a corpus.</summary>
internal static class BenchCommand
{
    public static Command Build()
    {
        var corpus = new Option<string>("--corpus") { Description = "corpus directory (from `ktp corpus generate`)", Required = true };
        var baseline = new Option<bool>("--baseline") { Description = "also run whole-image Tesseract (ind, PSM 6) + regex parsing, side by side" };
        var json = new Option<string?>("--json") { Description = "write the full report as JSON to this file" };
        var markdown = new Option<string?>("--markdown") { Description = "write the Markdown tables to this file" };
        var engines = new Option<int>("--engines") { Description = "engines in the pool (N)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var limit = new Option<int?>("--limit") { Description = "only the first N cards" };
        var speedCards = new Option<int>("--speed-cards") { Description = "cards in the one-at-a-time CPU/latency pass", DefaultValueFactory = _ => 100 };
        var tessdata = new Option<string?>("--tessdata") { Description = "tessdata root (default: the repo's tessdata/)" };

        var command = new Command("bench", "accuracy/speed benchmark on a synthetic corpus")
        {
            corpus, baseline, json, markdown, engines, limit, speedCards, tessdata,
        };
        command.SetAction(async (parse, ct) =>
        {
            var directory = parse.GetValue(corpus)!;
            var n = Math.Max(1, parse.GetValue(engines));
            var root = parse.GetValue(tessdata);
            IReadOnlyList<BenchCard> cards;
            try
            {
                cards = BenchRunner.LoadCorpus(directory, parse.GetValue(limit));
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
            {
                Console.Error.WriteLine($"cannot read corpus: {e.Message}");
                return 2;
            }

            var policy = VerdictPolicy.Default;
            var started = DateTime.UtcNow;
            ExtractorReport? extractorReport = null;
            ExtractorReport? baselineReport = null;
            try
            {
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        var tasks = new Dictionary<string, ProgressTask>();
                        var progress = new Progress<(string Phase, int Done)>(p =>
                        {
                            lock (tasks)
                            {
                                if (!tasks.TryGetValue(p.Phase, out var task))
                                    tasks[p.Phase] = task = context.AddTask(p.Phase, maxValue: p.Phase.Contains("speed") ? Math.Min(parse.GetValue(speedCards), cards.Count) : cards.Count);
                                task.Value = Math.Max(task.Value, p.Done);
                            }
                        });
                        var sample = parse.GetValue(speedCards);
                        extractorReport = await BenchRunner.RunAsync("extractor",
                            e => KtpExtractor.Create(new OcrOptions { Engines = e, TessdataRoot = root }), cards, n, sample, policy, progress, ct);
                        if (parse.GetValue(baseline))
                            baselineReport = await BenchRunner.RunAsync("baseline", e => BaselineExtractor.Create(e, root), cards, n, sample, policy, progress, ct);
                    });
            }
            catch (KtpNativeException e)
            {
                Console.Error.WriteLine($"OCR engine unavailable: {e.Message}");
                return 1;
            }

            var report = new BenchReport
            {
                Command = "ktp bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(2)),
                Machine = Machine(),
                StartedUtc = started.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
                Corpus = directory,
                Cards = cards.Count,
                CardsPerProfile = cards.GroupBy(c => c.Truth.Profile).ToDictionary(g => g.Key, g => g.Count()),
                Extractor = extractorReport!,
                Baseline = baselineReport,
            };
            var md = report.ToMarkdown();
            Console.WriteLine(md);
            if (parse.GetValue(json) is { } jsonPath) await File.WriteAllTextAsync(jsonPath, report.ToJson(), ct);
            if (parse.GetValue(markdown) is { } mdPath) await File.WriteAllTextAsync(mdPath, md, ct);
            return 0;
        });
        return command;
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memoryGb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memoryGb:0} GiB, "
               + $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}, Tesseract {KtpFleet.Ocr.Engine.TesseractEngine.LibraryVersion}";
    }
}
