using System.Text.RegularExpressions;

namespace KtpFleet.Ocr.Parsing;

/// <summary>
/// The <c>Tempat/Tgl Lahir</c> line, e.g. <c>JUNGKAT, 12-06-1974</c>: the date is taken from the end of the line
/// (its comma may be missing or read as <c>.</c>), the place is what precedes it.
/// </summary>
public static partial class BirthPlaceDateParser
{
    private const string DigitLike = @"[0-9OoIlSsBZzGbDQ|!]";
    private const string Sep = @"\s*[-./~\u2013\u2014 ]\s*";

    [GeneratedRegex(@"(?<![A-Za-z])" + DigitLike + "{1,2}" + Sep + DigitLike + "{1,2}" + Sep + DigitLike + @"{4}\s*$")]
    private static partial Regex SeparatedDate();

    [GeneratedRegex(@"(?<![A-Za-z])" + DigitLike + @"{8}\s*$")]
    private static partial Regex CompactDate();

    public static (ParsedField Place, ParsedField Date) Parse(string? raw)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, FieldLabels.For(Results.KtpField.TempatLahir), changes, upperCase: false);
        if (text.Length == 0) return (ParsedField.Missing, ParsedField.Missing);

        var match = SeparatedDate().Match(text);
        if (!match.Success) match = CompactDate().Match(text);
        var dateStart = match.Success ? match.Index : GarbledDateStart(text);
        if (dateStart < 0)
            return (FreeTextParser.Name(text.TrimEnd(' ', ',', '.', ';', ':')), ParsedField.Missing);

        var placeText = text[..dateStart].TrimEnd(' ', ',', '.', ';', ':');
        var place = placeText.Length > 0 ? FreeTextParser.Name(placeText) : ParsedField.Missing;
        var date = DateParser.FromCleanText(text[dateStart..].Trim(), [.. changes, Change.Split]);
        return (place with { Changes = [.. changes, Change.Split, .. place.Changes] }, date);
    }

    /// <summary>
    /// Where a date that does not read as one begins (<c>MATARAM, 7504-2000</c>, <c>MALANG 31</c>), or -1: at the
    /// first of the line's last words that are each at least half digits (a place name has none), or earlier at a comma
    /// (or a period after a word) before them, which ends the place. Leaving the date's remains in the place would
    /// lose the place too.
    /// </summary>
    internal static int GarbledDateStart(string text)
    {
        var words = WordPattern().Matches(text);
        var start = -1;
        for (var i = words.Count - 1; i >= 0; i--)
        {
            var digits = words[i].Value.Count(char.IsAsciiDigit);
            if (digits == 0 || digits < words[i].Value.Count(char.IsLetter)) break;
            start = words[i].Index;
        }
        if (start <= 0) return -1;
        var end = PlaceEnd().Matches(text[..start]).LastOrDefault();
        return end is null ? start : end.Index + end.Length;
    }

    [GeneratedRegex(@"\S+")]
    private static partial Regex WordPattern();

    /// <summary>A comma, or a period after a word of three letters or more (not an initial such as <c>P. SIANTAR</c>).</summary>
    [GeneratedRegex(@"(?:,|(?<=[A-Za-z]{3})\.)(?=\s|$)")]
    private static partial Regex PlaceEnd();
}
