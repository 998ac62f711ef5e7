using System.Globalization;
using System.Text;
using KtpFleet.Corpus.Generation;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Corpus.Bench;

/// <summary>Everything one benchmark run measured, with the machine and command, as JSON (<c>--json</c>) or Markdown.</summary>
public sealed record BenchReport
{
    public string Schema { get; init; } = "ktp-bench/v1";
    public required string Command { get; init; }
    public required string Machine { get; init; }
    public required string StartedUtc { get; init; }
    public required string Corpus { get; init; }
    public required int Cards { get; init; }
    public required IReadOnlyDictionary<string, int> CardsPerProfile { get; init; }
    public required ExtractorReport Extractor { get; init; }
    public ExtractorReport? Baseline { get; init; }

    public string ToJson() => CorpusJson.Serialize(this);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var x = Extractor;
        var b = Baseline;
        md.AppendLine($"Corpus `{Corpus}`: {Cards} cards ({string.Join(", ", CardsPerProfile.Select(kv => $"{kv.Key} {kv.Value}"))}). Machine: {Machine}.");
        md.AppendLine();
        md.AppendLine("### Summary (all profiles)");
        md.AppendLine();
        md.AppendLine(b is null ? "| metric | extractor |" : "| metric | extractor | baseline | extractor ÷ baseline |");
        md.AppendLine(b is null ? "|---|---|" : "|---|---|---|---|");
        var xa = x.Accuracy[0];
        var ba = b?.Accuracy[0];
        Row(md, "field exact match", Pct(xa.Overall.ExactRate), ba is null ? null : Pct(ba.Overall.ExactRate), Ratio(xa.Overall.ExactRate, ba?.Overall.ExactRate));
        Row(md, "character error rate", Pct(xa.Overall.CharacterErrorRate), ba is null ? null : Pct(ba.Overall.CharacterErrorRate), Ratio(xa.Overall.CharacterErrorRate, ba?.Overall.CharacterErrorRate));
        Row(md, "NIK exact match", Pct(xa.NikExactRate), ba is null ? null : Pct(ba.NikExactRate), Ratio(xa.NikExactRate, ba?.NikExactRate));
        Row(md, "cards with every field exact", Pct(Share(xa.AllFieldsExact, xa.Cards)), ba is null ? null : Pct(Share(ba.AllFieldsExact, ba.Cards)), Ratio(Share(xa.AllFieldsExact, xa.Cards), ba is null ? null : Share(ba.AllFieldsExact, ba.Cards)));
        Row(md, "fields marked confident", Pct(xa.Overall.ConfidentShare), ba is null ? null : Pct(ba.Overall.ConfidentShare), null);
        Row(md, "auto-accept precision (exact among confident)", Pct(xa.Overall.AutoAcceptPrecision), ba is null ? null : Pct(ba.Overall.AutoAcceptPrecision), null);
        Row(md, "failed-check precision / recall", $"{Pct(xa.ChecksOverall.Precision)} / {Pct(xa.ChecksOverall.Recall)}", ba is null ? null : "no checks", null);
        Row(md, "extraction errors", xa.Errors.ToString(CultureInfo.InvariantCulture), ba?.Errors.ToString(CultureInfo.InvariantCulture), null);
        Row(md, "median / p95 CPU ms per card", $"{N(x.Speed.MedianCpuMs)} / {N(x.Speed.P95CpuMs)}", b is null ? null : $"{N(b.Speed.MedianCpuMs)} / {N(b.Speed.P95CpuMs)}", Ratio(x.Speed.MedianCpuMs, b?.Speed.MedianCpuMs));
        Row(md, "cards/s, 1 engine", N(x.Speed.CardsPerSecondOneEngine), b is null ? null : N(b.Speed.CardsPerSecondOneEngine), Ratio(x.Speed.CardsPerSecondOneEngine, b?.Speed.CardsPerSecondOneEngine));
        Row(md, $"cards/s, {x.Speed.Engines} engines", N(x.Speed.CardsPerSecondAllEngines), b is null ? null : N(b.Speed.CardsPerSecondAllEngines), Ratio(x.Speed.CardsPerSecondAllEngines, b?.Speed.CardsPerSecondAllEngines));
        Row(md, "peak memory (process, MB)", N(x.Speed.PeakMemoryMb), b is null ? null : N(b.Speed.PeakMemoryMb) + " (cumulative)", null);
        md.AppendLine();

        md.AppendLine("### Per profile");
        md.AppendLine();
        md.AppendLine("| profile | cards | field exact | CER | NIK exact | confident | auto-accept precision | check P / R | errors |" + (b is null ? "" : " baseline field exact | baseline NIK exact |"));
        md.AppendLine("|---|---|---|---|---|---|---|---|---|" + (b is null ? "" : "---|---|"));
        foreach (var p in x.Accuracy.Skip(1))
        {
            var bp = b?.Accuracy.FirstOrDefault(a => a.Group == p.Group);
            md.Append($"| {p.Group} | {p.Cards} | {Pct(p.Overall.ExactRate)} | {Pct(p.Overall.CharacterErrorRate)} | {Pct(p.NikExactRate)} | {Pct(p.Overall.ConfidentShare)} | {Pct(p.Overall.AutoAcceptPrecision)} | {Pct(p.ChecksOverall.Precision)} / {Pct(p.ChecksOverall.Recall)} | {p.Errors} |");
            md.AppendLine(bp is null ? "" : $" {Pct(bp.Overall.ExactRate)} | {Pct(bp.NikExactRate)} |");
        }
        md.AppendLine();

        md.AppendLine("### Per field, exact match by profile (extractor)");
        md.AppendLine();
        var profiles = x.Accuracy.Skip(1).ToList();
        md.AppendLine("| field | all | CER | confident | auto-accept precision | " + string.Join(" | ", profiles.Select(p => p.Group)) + (b is null ? " |" : " | baseline all | baseline CER |"));
        md.AppendLine("|---|---|---|---|---|" + string.Concat(profiles.Select(_ => "---|")) + (b is null ? "" : "---|---|"));
        foreach (var field in KtpField.All)
        {
            var s = xa.Fields[field];
            md.Append($"| {field} | {Pct(s.ExactRate)} | {Pct(s.CharacterErrorRate)} | {Pct(s.ConfidentShare)} | {Pct(s.AutoAcceptPrecision)} | ");
            md.Append(string.Join(" | ", profiles.Select(p => Pct(p.Fields[field].ExactRate))));
            md.AppendLine(ba is null ? " |" : $" | {Pct(ba.Fields[field].ExactRate)} | {Pct(ba.Fields[field].CharacterErrorRate)} |");
        }
        md.AppendLine();

        md.AppendLine("### Cross-checks vs labelled inconsistencies (extractor, all profiles)");
        md.AppendLine();
        md.AppendLine("| check | labelled & failed | failed, not labelled | labelled, not failed | precision | recall |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var check in CheckNames.Labelled)
        {
            var c = xa.Checks[check];
            md.AppendLine($"| {check} | {c.TruePositives} | {c.FalsePositives} | {c.FalseNegatives} | {Pct(c.Precision)} | {Pct(c.Recall)} |");
        }
        md.AppendLine();
        md.AppendLine("Verdicts: " + string.Join(", ", xa.Verdicts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")) + ".");
        md.AppendLine();

        md.AppendLine("### Time per stage (mean ms per card, accuracy pass)");
        md.AppendLine();
        md.AppendLine("| stage | extractor |" + (b is null ? "" : " baseline |"));
        md.AppendLine("|---|---|" + (b is null ? "" : "---|"));
        foreach (var stage in x.Speed.StageMeanMs.Keys.Union(b?.Speed.StageMeanMs.Keys ?? []))
        {
            md.Append($"| {stage} | {(x.Speed.StageMeanMs.TryGetValue(stage, out var v) ? N(v) : "–")} |");
            md.AppendLine(b is null ? "" : $" {(b.Speed.StageMeanMs.TryGetValue(stage, out var bv) ? N(bv) : "–")} |");
        }
        md.AppendLine();
        md.AppendLine($"CPU time per card: median of a one-card-at-a-time pass over the first {x.Speed.SequentialCards} cards on a 1-engine extractor "
                      + $"(process CPU time, all threads). Cards/s at {x.Speed.Engines} engines: the accuracy pass over all cards, {x.Speed.Engines} in flight.");
        return md.ToString();
    }

    private void Row(StringBuilder md, string metric, string extractor, string? baseline, string? ratio) =>
        md.AppendLine(Baseline is null
            ? $"| {metric} | {extractor} |"
            : $"| {metric} | {extractor} | {baseline ?? "–"} | {ratio ?? "–"} |");

    private static double Share(int part, int whole) => whole == 0 ? double.NaN : (double)part / whole;

    internal static string Pct(double v) => double.IsNaN(v) ? "–" : (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    internal static string N(double v) => double.IsNaN(v) ? "–" : v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string? Ratio(double a, double? b) =>
        b is not { } d || double.IsNaN(a) || double.IsNaN(d) || d == 0 ? null : (a / d).ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
