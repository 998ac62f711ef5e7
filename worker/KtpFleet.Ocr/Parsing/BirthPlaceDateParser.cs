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
        if (!match.Success)
            return (FreeTextParser.Name(text), ParsedField.Missing);

        var placeText = text[..match.Index].TrimEnd(' ', ',', '.', ';', ':');
        var place = placeText.Length > 0 ? FreeTextParser.Name(placeText) : ParsedField.Missing;
        var date = DateParser.FromCleanText(match.Value.Trim(), [.. changes, Change.Split]);
        return (place with { Changes = [.. changes, Change.Split, .. place.Changes] }, date);
    }
}
