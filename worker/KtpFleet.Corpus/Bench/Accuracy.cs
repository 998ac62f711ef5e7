using KtpFleet.Corpus.Generation;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Corpus.Bench;

/// <summary>One card as the benchmark saw it: its ground truth and what an extractor returned (or the error).</summary>
public sealed record CardOutcome(GroundTruth Truth, KtpResult? Result, string? Error, double WallMs);

/// <summary>Counts for one field (or one group of cards): exact matches, CER, and the confident subset.</summary>
public sealed record FieldScore
{
    public int Cards { get; init; }
    public int Exact { get; init; }
    public long EditDistance { get; init; }
    public long TruthCharacters { get; init; }
    public int Confident { get; init; }
    public int ConfidentExact { get; init; }

    public double ExactRate => Cards == 0 ? double.NaN : (double)Exact / Cards;
    public double CharacterErrorRate => TruthCharacters == 0 ? double.NaN : (double)EditDistance / TruthCharacters;
    public double ConfidentShare => Cards == 0 ? double.NaN : (double)Confident / Cards;
    /// <summary>Accuracy among fields at or above the auto-accept threshold: what auto-accepting them would get right.</summary>
    public double AutoAcceptPrecision => Confident == 0 ? double.NaN : (double)ConfidentExact / Confident;

    public FieldScore Add(FieldScore o) => new()
    {
        Cards = Cards + o.Cards, Exact = Exact + o.Exact, EditDistance = EditDistance + o.EditDistance,
        TruthCharacters = TruthCharacters + o.TruthCharacters, Confident = Confident + o.Confident,
        ConfidentExact = ConfidentExact + o.ConfidentExact,
    };
}

/// <summary>Failed checks reported vs the labelled inconsistencies: a reported failure is positive.</summary>
public sealed record CheckScore(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalseNegatives);

    public CheckScore Add(CheckScore o) => new(TruePositives + o.TruePositives, FalsePositives + o.FalsePositives,
        FalseNegatives + o.FalseNegatives, TrueNegatives + o.TrueNegatives);
}

/// <summary>Accuracy of one extractor on one group of cards (a profile, or all).</summary>
public sealed record AccuracyReport
{
    public required string Group { get; init; }
    public required int Cards { get; init; }
    public required int Errors { get; init; }
    /// <summary>Cards whose every field matched exactly.</summary>
    public required int AllFieldsExact { get; init; }
    public required IReadOnlyDictionary<string, FieldScore> Fields { get; init; }
    public required FieldScore Overall { get; init; }
    public required IReadOnlyDictionary<string, CheckScore> Checks { get; init; }
    public required CheckScore ChecksOverall { get; init; }
    public required IReadOnlyDictionary<string, int> Verdicts { get; init; }

    public double NikExactRate => Fields.TryGetValue(KtpField.Nik, out var s) ? s.ExactRate : double.NaN;
}

/// <summary>Scores outcomes against ground truth. Pure: no I/O, so it is tested on hand-made result documents.</summary>
public static class AccuracyScorer
{
    public static AccuracyReport Score(string group, IReadOnlyList<CardOutcome> outcomes, VerdictPolicy policy)
    {
        var fields = KtpField.All.ToDictionary(f => f, _ => new FieldScore());
        var checks = CheckNames.Labelled.ToDictionary(c => c, _ => new CheckScore(0, 0, 0, 0));
        var verdicts = new Dictionary<string, int>();
        var allExact = 0;

        foreach (var outcome in outcomes)
        {
            var cardExact = true;
            foreach (var field in KtpField.All)
            {
                if (!outcome.Truth.Fields.TryGetValue(field, out var truth)) continue;
                var read = outcome.Result?.Fields.GetValueOrDefault(field);
                var score = ScoreField(read, truth, policy.ThresholdFor(field));
                cardExact &= score.Exact == 1;
                fields[field] = fields[field].Add(score);
            }
            if (cardExact) allExact++;

            foreach (var check in CheckNames.Labelled)
            {
                var expected = outcome.Truth.ExpectedFailedChecks.Contains(check);
                var reported = outcome.Result?.Checks.Any(c => c.Name == check && c.Status == CheckStatus.Failed) ?? false;
                checks[check] = checks[check].Add(new CheckScore(
                    expected && reported ? 1 : 0, !expected && reported ? 1 : 0, expected && !reported ? 1 : 0, !expected && !reported ? 1 : 0));
            }

            var verdict = outcome.Result is { } r ? r.Verdict.Decision.ToString() : "Error";
            verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
        }

        return new AccuracyReport
        {
            Group = group,
            Cards = outcomes.Count,
            Errors = outcomes.Count(o => o.Result is null),
            AllFieldsExact = allExact,
            Fields = fields,
            Overall = fields.Values.Aggregate(new FieldScore(), (a, b) => a.Add(b)),
            Checks = checks,
            ChecksOverall = checks.Values.Aggregate(new CheckScore(0, 0, 0, 0), (a, b) => a.Add(b)),
            Verdicts = verdicts,
        };
    }

    public static FieldScore ScoreField(FieldResult? read, string truth, double threshold)
    {
        var exact = TextMetrics.ExactMatch(read?.Value, truth);
        var confident = read?.Value is not null && read.Confidence >= threshold;
        return new FieldScore
        {
            Cards = 1,
            Exact = exact ? 1 : 0,
            EditDistance = TextMetrics.EditDistance(read?.Value, truth),
            TruthCharacters = TextMetrics.Normalise(truth)!.Length,
            Confident = confident ? 1 : 0,
            ConfidentExact = confident && exact ? 1 : 0,
        };
    }
}
