namespace KtpFleet.Ocr.Parsing;

/// <summary>Blood type: A, B, AB or O with an optional +/-, or <c>-</c> when none is recorded.</summary>
public static class BloodTypeParser
{
    public const string None = "-";
    private static readonly HashSet<string> Valid = ["A", "B", "AB", "O", "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-", None];

    public static ParsedField Parse(string? raw)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, FieldLabels.For(Results.KtpField.GolonganDarah), changes);
        if (text.Length == 0) return ParsedField.Missing;
        var compact = text.Replace(" ", "", StringComparison.Ordinal)
            .Replace('\u2013', '-').Replace('\u2014', '-').Replace('~', '-');
        if (Valid.Contains(compact)) return ParsedField.Valid(compact, changes, corrected: false);

        // Digits and glyphs OCR makes of the four letters.
        var mapped = new string(compact.Select(c => c switch
        {
            '0' or 'D' or 'Q' => 'O',
            '8' => 'B',
            '4' => 'A',
            _ => c,
        }).ToArray());
        if (Valid.Contains(mapped)) return ParsedField.Valid(mapped, [.. changes, Change.DigitsToLetters], corrected: true);
        return ParsedField.Invalid(compact, changes, Change.OutOfVocabulary);
    }
}
