using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Fixed-format digit values (RT/RW, the issue date, a validity date, the date of birth) that Tesseract and the digit cells read
/// differently get a third reading, Tesseract at <see cref="FieldRecognizer.RereadScale"/>x. Their errors differ (the
/// LSTM guesses from the word, the cells from each glyph's shape), so each digit is taken by majority; where all three
/// differ, the first reading's digit stands.
/// </summary>
public static class DigitVote
{
    public static readonly IReadOnlyList<string> Fields = [KtpField.RtRw, KtpField.TanggalTerbit, KtpField.BerlakuHingga, KtpField.TanggalLahir];

    /// <summary>The fields worth a third reading: Tesseract's value and the digit cells' guess both parse, and differ.</summary>
    public static List<string> Disputed(IReadOnlyDictionary<string, RawField> raw, IReadOnlyDictionary<string, RawField> guesses) =>
        Fields.Where(f => Normalised(f, raw) is { } first && Normalised(f, guesses) is { } guess && first != guess).ToList();

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
    /// The raw fields with each vote over <paramref name="fields"/> applied: the voted text, at the shape guess's
    /// confidence (a value no single reading gave is never auto-accepted), where all three readings parse. A firm
    /// guess (<paramref name="firm"/>, see <see cref="FormattedCellReader.IsFirm"/>) is taken whole instead: where
    /// the cells fit every digit well, Tesseract's two readings share their errors more often than they outvote one.
    /// </summary>
    public static Dictionary<string, RawField> Apply(
        IReadOnlyDictionary<string, RawField> raw, IReadOnlyDictionary<string, RawField> reread,
        IReadOnlyDictionary<string, RawField> guesses, IEnumerable<string> fields, IReadOnlySet<string>? firm = null)
    {
        var voted = new Dictionary<string, RawField>(raw, StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (Normalised(field, raw) is not { } first || Normalised(field, guesses) is not { } third) continue;
            var text = firm?.Contains(field) == true
                ? third
                : Normalised(field, reread) is { } second ? Vote(first, second, third) : null;
            if (text is null || text == first) continue;
            voted[field] = new RawField(text, FieldRecognizer.ShapeGuessConfidence, raw.GetValueOrDefault(field)?.Box);
        }
        return voted;
    }

    /// <summary>
    /// The value as its parser normalises it, or null when it does not parse. The date of birth is its own reading
    /// when it has one (the digit cells' guess, a vote), else the end of the birthplace line.
    /// </summary>
    private static string? Normalised(string field, IReadOnlyDictionary<string, RawField> readings)
    {
        var text = readings.GetValueOrDefault(field)?.Text;
        var parsed = field switch
        {
            KtpField.RtRw => RtRwParser.Parse(text),
            KtpField.BerlakuHingga => ValidityParser.Parse(text),
            KtpField.TanggalLahir when string.IsNullOrWhiteSpace(text) => BirthPlaceDateParser.Parse(readings.GetValueOrDefault(KtpField.TempatLahir)?.Text).Date,
            _ => DateParser.Parse(text, []),
        };
        return parsed.IsValid ? parsed.Value : null;
    }
}
