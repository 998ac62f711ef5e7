using System.Text;
using System.Text.RegularExpressions;

namespace KtpFleet.Ocr.Parsing;

/// <summary>Names, places and addresses: upper-case cleanup only, never snapped (any spelling may be printed).</summary>
public static class FreeTextParser
{
    /// <summary>Person and place names: no digits are printed, so digits OCR produced are read as the letters they resemble.</summary>
    public static ParsedField Name(string? raw, IReadOnlyList<string>? labels = null)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, labels ?? [], changes, upperCase: false);
        if (text.Length == 0) return ParsedField.Missing;
        // Names are printed in capitals: a lower-case l among capitals is an I.
        var capitals = text.Count(char.IsUpper) > text.Count(char.IsLower);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(capitals && c == 'l' ? 'I' : char.ToUpperInvariant(CharConfusions.AsLetter(c)));
        var value = sb.ToString();
        if (value != text.ToUpperInvariant()) changes.Add(Change.DigitsToLetters);
        else if (value != text) changes.Add(Change.UpperCased);
        if (!value.Any(char.IsLetter)) return ParsedField.Invalid(value, changes, Change.Unrecognised);
        return new ParsedField(value, ParseStatus.Unverified, 0, changes);
    }

    /// <summary>
    /// Addresses keep digits (house numbers); cleanup and upper case, and an abbreviation's period restored: one the
    /// recogniser saw in the image but OCR dropped (marked <see cref="RestoredPeriod"/> in the raw text), or one read
    /// as a comma or colon (<c>NO, 22</c> is <c>NO. 22</c>: they differ by a few pixels below the baseline, and no
    /// address puts a comma there). Either is tagged <see cref="Change.PeriodRestored"/>: the line's small print was
    /// not read reliably, which the confidence keeps in doubt.
    /// </summary>
    public static ParsedField Address(string? raw, IReadOnlyList<string>? labels = null)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw?.Replace(RestoredPeriod, '.').Replace(RestoredB, 'B'), labels ?? [], changes);
        if (text.Length == 0) return ParsedField.Missing;
        if (raw!.Contains(RestoredB)) changes.Add(Change.LetterRestored);
        var periods = AbbreviationComma.Replace(text, "$1.");
        if (periods != text || raw!.Contains(RestoredPeriod)) changes.Add(Change.PeriodRestored);
        text = periods;
        var numbers = HouseNumberDigits(text);
        if (numbers != text) changes.Add(Change.LettersToDigits);
        text = numbers;
        if (!text.Any(char.IsLetterOrDigit)) return ParsedField.Invalid(text, changes, Change.Unrecognised);
        return new ParsedField(text, ParseStatus.Unverified, 0, changes);
    }

    /// <summary>
    /// How the recogniser writes a period the image shows where OCR read none (U+2024 ONE DOT LEADER): it reads as
    /// a period in the raw text, and tells the parser the period was not OCR's.
    /// </summary>
    public const char RestoredPeriod = '\u2024';

    /// <summary>
    /// How the recogniser writes a house number's B that OCR read as 8 and the glyph's shape says is a B (U+0392 GREEK
    /// CAPITAL BETA): a B in the value, and a sign to the parser that it was not OCR's (see <see cref="Change.LetterRestored"/>).
    /// </summary>
    public const char RestoredB = '\u0392';

    /// <summary>Street-address abbreviations that are printed with a period: jalan, gang, nomor, kampung, kyai haji.</summary>
    public static readonly IReadOnlySet<string> PeriodAbbreviations = new HashSet<string>(StringComparer.Ordinal) { "JL", "JLN", "GG", "NO", "KP", "KH" };

    /// <summary>
    /// A block's code is a letter and a number (<c>BLOK H15</c>), a house number digits with at most a letter after them
    /// (<c>NO. 57</c>, <c>NO. 21B</c>): a digit OCR read as its look-alike letter there (<c>BLOK HIS</c>, <c>BLOK FS</c>,
    /// <c>NO. S7</c>, all auto-accepted at 98 on training and held-out photos) is a digit. Only S, O, I and Z, whose
    /// digits they are in blurred Arial, and only where the whole code then reads as the format. The value is tagged
    /// <see cref="Change.LettersToDigits"/>, which keeps the address doubted.
    /// </summary>
    internal static string HouseNumberDigits(string address)
    {
        var blocks = BlockCode.Replace(address, m => m.Groups[1].Value + m.Groups[2].Value + AsDigits(m.Groups[3].Value));
        return HouseNumber.Replace(blocks, m => m.Groups[1].Value + AsDigits(m.Groups[2].Value) + m.Groups[3].Value);
    }

    private static string AsDigits(string s) => string.Concat(s.Select(c => c switch { 'S' => '5', 'O' => '0', 'I' => '1', 'Z' => '2', _ => c }));

    private static readonly Regex BlockCode = new(@"\b(BLOK )([A-Z])([0-9SOIZ]*[SOIZ][0-9SOIZ]*)\b", RegexOptions.CultureInvariant);
    private static readonly Regex HouseNumber = new(@"\b(NO\. )([SOIZ]+)([0-9]+[A-Z]?)\b", RegexOptions.CultureInvariant);

    private static readonly Regex AbbreviationComma =
        new($@"\b({string.Join('|', PeriodAbbreviations)})[,:;](?=\s|$)", RegexOptions.CultureInvariant);
}
