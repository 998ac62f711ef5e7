using System.CommandLine;
using System.Text.Json;
using KtpFleet.Ocr;
using KtpFleet.Ocr.Pipeline;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Cli.Commands;

/// <summary>
/// `ktp calibrate --corpus DIR`: fits the confidence table to how often each (class, OCR-confidence bucket) was
/// right on a corpus with ground truth, so that "confident" means right. Fit on one corpus, judge on another.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Build()
    {
        var corpus = new Option<DirectoryInfo>("--corpus") { Description = "corpus with <id>.gt.json ground truth", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "where to write the table (default: the embedded one in the OCR library)" };
        var threshold = new Option<double>("--threshold") { Description = "confidence that counts as confident", DefaultValueFactory = _ => VerdictPolicy.Default.AutoAcceptConfidence };
        var command = new Command("calibrate", "Fit the field-confidence table on a corpus with ground truth") { corpus, output, threshold };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(corpus)!, parse.GetValue(output), parse.GetValue(threshold), ct));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo corpus, FileInfo? output, double threshold, CancellationToken ct)
    {
        var truths = corpus.GetFiles("*.gt.json").OrderBy(f => f.Name).ToList();
        if (truths.Count == 0)
        {
            await Console.Error.WriteLineAsync($"ktp: no *.gt.json in {corpus.FullName}");
            return 2;
        }
        using var extractor = KtpExtractor.Create();
        var samples = new List<CalibrationSample>();
        var done = 0;
        await Parallel.ForEachAsync(truths, new ParallelOptions { MaxDegreeOfParallelism = extractor.Pool.Size, CancellationToken = ct }, async (truthFile, token) =>
        {
            using var truth = JsonDocument.Parse(await File.ReadAllTextAsync(truthFile.FullName, token));
            var image = Path.Combine(corpus.FullName, truth.RootElement.GetProperty("image").GetString()!);
            var detailed = await extractor.ExtractDetailedAsync(await File.ReadAllBytesAsync(image, token), ct: token);
            var found = new List<CalibrationSample>();
            foreach (var field in truth.RootElement.GetProperty("fields").EnumerateObject())
            {
                if (!detailed.Evidence.TryGetValue(field.Name, out var evidence)) continue;
                var right = detailed.Result.Fields[field.Name].Value == field.Value.GetString();
                found.Add(new CalibrationSample(evidence.Class, evidence.OcrConfidence, right));
            }
            lock (samples)
            {
                samples.AddRange(found);
                if (++done % 20 == 0) Console.Error.WriteLine($"[ktp] {done}/{truths.Count} cards");
            }
        });

        var before = ConfidenceCalibration.HandSet;
        var fitted = ConfidenceCalibration.Fit(samples, before);
        Console.WriteLine($"{samples.Count} field samples from {truths.Count} cards; confident = confidence >= {threshold:0.00}");
        foreach (var t in new[] { threshold, 0.95, 0.97, 0.99 }.Distinct())
        {
            Report($"hand-set @{t:0.00}", before, samples, t);
            Report($"fitted   @{t:0.00}", fitted, samples, t);
        }
        var path = output?.FullName ?? Path.Combine(RepositoryRoot(), "worker", "KtpFleet.Ocr", "Data", "calibration.json");
        await File.WriteAllTextAsync(path, fitted.ToJson() + Environment.NewLine, ct);
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static void Report(string name, ConfidenceCalibration table, List<CalibrationSample> samples, double threshold)
    {
        var confident = samples.Where(s => table.Probability(s.Class, s.OcrConfidence) >= threshold).ToList();
        var precision = confident.Count == 0 ? 0 : (double)confident.Count(s => s.Correct) / confident.Count;
        Console.WriteLine($"  {name,-15} confident {confident.Count,5} of {samples.Count} ({(double)confident.Count / samples.Count:P1}), right among them {precision:P2}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KtpFleet.sln"))) return dir.FullName;
        throw new InvalidOperationException("not inside the repository: pass --out");
    }
}
