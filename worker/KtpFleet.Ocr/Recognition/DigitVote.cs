using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Fixed-format digit values (RT/RW, the issue date, a validity date) that no reader read decisively get three
/// readings: Tesseract at the card's scale, Tesseract at <see cref="FieldRecognizer.RereadScale"/>x, and the digit
/// cells' best guess. Their errors differ (the LSTM guesses from the word, the cells from each glyph's shape), so
/// each digit is taken by majority; where all three differ, the first reading's digit stands.
/// </summary>
public static class DigitVote
{
    public static readonly IReadOnlyList<string> Fields = [KtpField.RtRw, KtpField.TanggalTerbit, KtpField.BerlakuHingga];

    /// <summary>
    /// The digits by majority, or null when the three normalised values do not share one format (same length,
    /// separators in the same places) or the majority is the first reading itself.
    /// </summary>
    public static string? Vote(string first, string second, string third)
    {
        if (first.Length != second.Length || first.Length != third.Length) return null;
        var voted = new char[first.Length];
        for (var i = 0; i < first.Length; i++)
        {
            char a = first[i], b = second[i], c = third[i];
            if (!char.IsAsciiDigit(a) && (a != b || a != c)) return null;
            voted[i] = b == c && b != a ? b : a;
        }
        var result = new string(voted);
        return result == first ? null : result;
    }

    /// <summary>
    /// The raw fields with each vote applied: the voted text, at the shape guess's confidence (a value no single
    /// reading gave is never auto-accepted), for the fields whose three readings all parse.
    /// </summary>
    public static Dictionary<string, RawField> Apply(
        IReadOnlyDictionary<string, RawField> raw, VerifiedCard verified, VerifiedCard rereadVerified, VerifiedCard guessVerified)
    {
        var voted = new Dictionary<string, RawField>(raw, StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            var values = new[] { verified, rereadVerified, guessVerified }.Select(v => Valid(v, field)).ToList();
            if (values.Any(v => v is null)) continue;
            if (Vote(values[0]!, values[1]!, values[2]!) is not { } text) continue;
            voted[field] = new RawField(text, FieldRecognizer.ShapeGuessConfidence, raw.GetValueOrDefault(field)?.Box);
        }
        return voted;
    }

    private static string? Valid(VerifiedCard card, string field) =>
        card.Evidence.TryGetValue(field, out var e) && e.Class is not ConfidenceClass.Invalid && card.Fields.TryGetValue(field, out var f) ? f.Value : null;
}
