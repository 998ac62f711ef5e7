using KtpFleet.Ocr.Checks;
using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Verdicts;

/// <summary>What recognition read for one field: its text, Tesseract's mean word confidence (0..100) and its box.</summary>
public sealed record RawField(string? Text, double? MeanWordConfidence = null, Box? Box = null)
{
    /// <summary>Per character, the OCR confidence (0..100) where the reader scores each one (the NIK's segmented glyphs); else null.</summary>
    public IReadOnlyList<double>? CharConfidences { get; init; }

    /// <summary>
    /// The reading left a stretch of the value's print unread (<see cref="Recognition.FieldRecognizer.LeavesInkUnread"/>):
    /// what was read may be right, but the value is not all there, so it is never auto-accepted.
    /// </summary>
    public bool LeavesInkUnread { get; init; }
}

/// <summary>The verified part of a result document: fields with calibrated confidences, checks, verdict.</summary>
public sealed record VerifiedCard(
    IReadOnlyDictionary<string, FieldResult> Fields,
    IReadOnlyList<CheckResult> Checks,
    VerdictResult Verdict,
    ResolvedRegions Regions)
{
    /// <summary>What each field's confidence was computed from: the inputs of a calibration fit.</summary>
    public IReadOnlyDictionary<string, ConfidenceEvidence> Evidence { get; init; } = new Dictionary<string, ConfidenceEvidence>();
}

/// <summary>A field's confidence class and OCR confidence (null: none reported), before calibration.</summary>
public sealed record ConfidenceEvidence(ConfidenceClass Class, double? OcrConfidence);

/// <summary>
/// Parse → confidence → cross-checks → verdict for one card, from the raw text of each field. A field split off
/// another line (<c>tanggal_lahir</c> from <c>tempat_lahir</c>, <c>golongan_darah</c> from <c>jenis_kelamin</c>)
/// inherits that line's OCR confidence and box. Thread-safe.
/// </summary>
public sealed class KtpVerifier(KtpFieldParser parser, KtpCrossChecks checks, ConfidenceCalibration calibration, TimeProvider time)
{
    private static readonly Dictionary<string, string> SplitFrom = new()
    {
        [KtpField.TanggalLahir] = KtpField.TempatLahir,
        [KtpField.GolonganDarah] = KtpField.JenisKelamin,
    };

    public static KtpVerifier Shared { get; } = new(KtpFieldParser.Shared, KtpCrossChecks.Shared, ConfidenceCalibration.Default, TimeProvider.System);

    public VerifiedCard Verify(IReadOnlyDictionary<string, RawField> raw, VerdictPolicy? policy = null)
    {
        var doubted = raw.Where(kv => kv.Value.MeanWordConfidence < KtpFieldParser.DoubtedOcrConfidence).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var card = parser.Parse(raw.ToDictionary(kv => kv.Key, kv => kv.Value.Text), doubted);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var checkResults = checks.Run(card.Values, today);
        var fields = new Dictionary<string, FieldResult>(StringComparer.Ordinal);
        var evidence = new Dictionary<string, ConfidenceEvidence>(StringComparer.Ordinal);
        foreach (var key in KtpField.All)
        {
            var source = Source(raw, key);
            var parsed = card.Fields.TryGetValue(key, out var p) ? p : ParsedField.Missing;
            var cls = CouldBePrinted(key, parsed, today) ? ConfidenceClasses.Of(parsed, key) : ConfidenceClass.Invalid;
            var ocr = key == KtpField.Nik
                ? NikCorroboration.OcrConfidence(parsed.Value, source?.MeanWordConfidence, source?.CharConfidences, checkResults)
                : source?.MeanWordConfidence;
            if (cls is { } c) evidence[key] = new ConfidenceEvidence(c, ocr);
            var confidence = FieldConfidence.Score(cls, ocr, calibration);
            if (source?.LeavesInkUnread == true) confidence = Math.Min(confidence, DoubtedConfidence);
            fields[key] = new FieldResult(parsed.Value, Math.Round(confidence, 4), raw.GetValueOrDefault(key)?.Text, source?.Box);
        }
        DoubtFieldsOfFailedChecks(fields, checkResults);
        RowShift.Doubt(fields, DoubtedConfidence);
        return new VerifiedCard(fields, checkResults, VerdictEngine.Decide(fields, checkResults, policy), card.Regions) { Evidence = evidence };
    }

    /// <summary>
    /// Whether a parsed value is one a card could carry. An issue date after today or before the first e-KTP is a
    /// misread (a blurred 2 read as 7: <c>2072</c>), so it is no reading at all: invalid, re-read, and else left to the
    /// digit cells' guess. The value stays as read and its check fails; only what the pipeline makes of it changes.
    /// </summary>
    private static bool CouldBePrinted(string field, ParsedField parsed, DateOnly today) =>
        field != KtpField.TanggalTerbit || !parsed.IsValid
        || !DateParser.TryParseNormalised(parsed.Value, out var issued) || KtpCrossChecks.CouldBeIssued(issued, today);

    /// <summary>
    /// A failed cross-check means one of its fields was misread, or the card itself is inconsistent: either way none
    /// of them may be auto-accepted on OCR confidence alone. Their confidence is capped below any sensible threshold.
    /// (Seen on generated photos: a birth date misread 26→28 at OCR confidence 99 is caught only by the NIK.)
    /// </summary>
    private static void DoubtFieldsOfFailedChecks(Dictionary<string, FieldResult> fields, IReadOnlyList<CheckResult> results)
    {
        foreach (var failed in results.Where(r => r.Status == CheckStatus.Failed))
        {
            if (!CheckNames.Fields.TryGetValue(failed.Name, out var involved)) continue;
            foreach (var field in involved)
                if (fields.TryGetValue(field, out var f) && f.Confidence > DoubtedConfidence)
                    fields[field] = f with { Confidence = DoubtedConfidence };
        }
    }

    /// <summary>The confidence of a field whose cross-check failed.</summary>
    public const double DoubtedConfidence = 0.5;

    private static RawField? Source(IReadOnlyDictionary<string, RawField> raw, string key)
    {
        if (raw.TryGetValue(key, out var own) && !string.IsNullOrWhiteSpace(own.Text)) return own;
        return SplitFrom.TryGetValue(key, out var line) ? raw.GetValueOrDefault(line) : own;
    }
}
