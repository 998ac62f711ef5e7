using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Which values a second model reads again, and which reading each keeps. The first model (tessdata_fast) reads clean
/// print as well as any and fast; on blurred ~10-px photo print the larger tessdata_best network reads more of it
/// right, at about 1.5x the CPU time. So it reads only what the first read in doubt — Tesseract under
/// <see cref="AskBelow"/> — and each value keeps the reading its own model was the more confident of. A card whose
/// values are all read at 90 and above or by shape (two in three clean renders) is read once.
/// </summary>
public static class SecondOpinion
{
    /// <summary>
    /// Under this Tesseract confidence a value is read again: where the shape readers' decisive readings start. On 200
    /// training photo cards (seed 100), asking under 75 / 90 / always took fields exact from 89.9 % to 90.8 / 91.1 /
    /// 91.0 %, at 9.7 / 8.6 / 5.6 cards/s on 2 engines (11.6 without).
    /// </summary>
    public const double AskBelow = 90;

    /// <summary>The raw fields read by Tesseract, or not read, under <see cref="AskBelow"/> (never the glyph-matched NIK and blood type).</summary>
    public static IReadOnlyList<string> FieldsToAsk(IReadOnlyDictionary<string, RawField> raw) =>
        raw.Where(kv => !FieldRecognizer.IsGlyphMatched(kv.Key) && kv.Value.MeanWordConfidence is not >= AskBelow)
            .Select(kv => kv.Key)
            .ToList();

    /// <summary>
    /// <paramref name="first"/> with each second reading swapped in where its model was more confident of it. On the
    /// same 200 cards, replacing the first reading outright fixed 70 values and lost 35; keeping the more confident
    /// one fixed 61 and lost 17.
    /// </summary>
    public static Dictionary<string, RawField> Merge(IReadOnlyDictionary<string, RawField> first, IReadOnlyDictionary<string, RawField> second)
    {
        var merged = new Dictionary<string, RawField>(first, StringComparer.Ordinal);
        foreach (var (field, reading) in second)
            if (reading.Text is not null && (reading.MeanWordConfidence ?? 0) > (first.GetValueOrDefault(field)?.MeanWordConfidence ?? 0))
                merged[field] = reading;
        return merged;
    }
}
