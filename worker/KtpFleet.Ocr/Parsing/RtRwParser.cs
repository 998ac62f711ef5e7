namespace KtpFleet.Ocr.Parsing;

/// <summary>RT/RW: two numbers of up to three digits, normalised to <c>000/000</c> (zero-padded: <c>02/05</c> → <c>002/005</c>).</summary>
public static class RtRwParser
{
    private static readonly char[] Slashes = ['/', '\\', '|', ' ', '-', '.', ','];

    public static ParsedField Parse(string? raw)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, FieldLabels.For(Results.KtpField.RtRw), changes, upperCase: false);
        if (text.Length == 0) return ParsedField.Missing;

        var parts = text.Split(Slashes, StringSplitOptions.RemoveEmptyEntries);
        var mapped = false;
        var digits = new List<string>();
        foreach (var part in parts)
        {
            var d = CharConfusions.ToDigits(part, out var changed);
            if (d is null) return ParsedField.Invalid(text.ToUpperInvariant(), changes, Change.Unrecognised);
            mapped |= changed;
            digits.Add(d);
        }
        if (digits.Count == 1) digits = SplitJoined(digits[0]);
        if (digits.Count != 2 || digits.Any(d => d.Length is 0 or > 3))
            return ParsedField.Invalid(text.ToUpperInvariant(), changes, Change.WrongLength);
        // A card pads RT and RW alike (001/004, 02/05): one part shorter than the other lost a digit (001/00 of a
        // 001/004 half under glare), which zero padding would turn into a confident 001/000.
        if (digits[0].Length != digits[1].Length)
            return ParsedField.Invalid(text.ToUpperInvariant(), changes, Change.UnevenParts);

        if (mapped) changes.Add(Change.LettersToDigits);
        if (digits.Any(d => d.Length < 3)) changes.Add(Change.ZeroPadded);
        var value = $"{digits[0].PadLeft(3, '0')}/{digits[1].PadLeft(3, '0')}";
        return ParsedField.Valid(value, changes, corrected: mapped);
    }

    /// <summary>The slash was lost (<c>001004</c>) or read as a 1 or 7 (<c>0011004</c>).</summary>
    private static List<string> SplitJoined(string d) => d.Length switch
    {
        6 => [d[..3], d[3..]],
        7 when d[3] is '1' or '7' => [d[..3], d[4..]],
        4 => [d[..2], d[2..]],
        _ => [d],
    };
}
