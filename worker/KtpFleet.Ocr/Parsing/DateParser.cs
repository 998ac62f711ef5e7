using System.Globalization;

namespace KtpFleet.Ocr.Parsing;

/// <summary>
/// Dates as printed on KTPs, normalised to <c>DD-MM-YYYY</c>. Tolerates <c>-</c>, <c>.</c>, <c>/</c> or spaces as
/// separators (or none: <c>12061974</c>), letters read for digits, a one-digit day or month; the result must be a
/// real calendar date between 1900 and 2100.
/// </summary>
public static class DateParser
{
    public const string Pattern = "dd-MM-yyyy";
    private static readonly char[] Separators = ['-', '.', '/', ' ', ',', '~', '_', '\u2013', '\u2014', ':', '\\'];

    public static ParsedField Parse(string? raw, IReadOnlyList<string> labels)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, labels, changes, upperCase: false);
        if (text.Length == 0) return ParsedField.Missing;
        return FromCleanText(text, changes);
    }

    internal static ParsedField FromCleanText(string text, List<string> changes)
    {
        if (!TryParse(text, out var date, out var mapped, out var reformatted))
            return ParsedField.Invalid(text.ToUpperInvariant(), changes, Change.NotADate);
        if (mapped) changes.Add(Change.LettersToDigits);
        if (reformatted) changes.Add(Change.SeparatorsNormalised);
        return ParsedField.Valid(Format(date), changes, corrected: mapped);
    }

    public static string Format(DateOnly date) => date.ToString(Pattern, CultureInfo.InvariantCulture);

    public static bool TryParseNormalised(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Parses a date; <paramref name="mapped"/> says letters were read as digits.</summary>
    public static bool TryParse(string text, out DateOnly date, out bool mapped, out bool reformatted)
    {
        date = default;
        mapped = false;
        reformatted = false;
        var tokens = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        var digitTokens = new string[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            var d = CharConfusions.ToDigits(tokens[i], out var changed);
            if (d is null) return false;
            mapped |= changed;
            digitTokens[i] = d;
        }

        string day, month, year;
        if (digitTokens.Length == 3 && digitTokens[0].Length <= 2 && digitTokens[1].Length <= 2 && digitTokens[2].Length == 4)
            (day, month, year) = (digitTokens[0], digitTokens[1], digitTokens[2]);
        else
        {
            var all = string.Concat(digitTokens);
            if (all.Length != 8) return false;
            (day, month, year) = (all[..2], all[2..4], all[4..]);
        }

        if (!int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var dd)
            || !int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var mm)
            || !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var yyyy))
            return false;
        if (yyyy is < 1900 or > 2100 || mm is < 1 or > 12 || dd < 1 || dd > DateTime.DaysInMonth(yyyy, mm)) return false;
        date = new DateOnly(yyyy, mm, dd);
        reformatted = Format(date) != text;
        return true;
    }
}
