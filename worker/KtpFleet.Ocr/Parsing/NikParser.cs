namespace KtpFleet.Ocr.Parsing;

/// <summary>NIK: exactly 16 digits; letters OCR makes of digits (O→0, I/l→1, S→5, B→8...) are mapped back.</summary>
public static class NikParser
{
    public const int Length = 16;

    public static ParsedField Parse(string? raw)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, FieldLabels.For(Results.KtpField.Nik), changes, upperCase: false);
        if (text.Length == 0) return ParsedField.Missing;
        var compact = new string(text.Where(c => c is not (' ' or '-' or '.' or ',')).ToArray());
        if (compact.Length != text.Length) changes.Add(Change.SeparatorsNormalised);
        var digits = CharConfusions.ToDigits(compact, out var mapped);
        if (digits is null) return ParsedField.Invalid(compact.ToUpperInvariant(), changes, Change.Unrecognised);
        if (mapped) changes.Add(Change.LettersToDigits);
        if (digits.Length != Length) return ParsedField.Invalid(digits, changes, Change.WrongLength);
        return ParsedField.Valid(digits, changes, corrected: mapped);
    }
}
