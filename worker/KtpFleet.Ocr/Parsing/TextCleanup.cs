using System.Text;

namespace KtpFleet.Ocr.Parsing;

/// <summary>
/// The cleanup every field's raw OCR text gets: label remnants before the colon (<c>Nama : BUDI</c>), stray glyphs
/// OCR makes of the colon and box edges (<c>|</c>, <c>!</c>, <c>;</c>), line breaks and doubled spaces, lower case.
/// </summary>
public static class TextCleanup
{
    private const string StrayChars = ":;|!_~\"'`*^=»«";
    private const int MaxLabelPrefixLength = 25;
    private static readonly char[] LeadingJunk = [.. StrayChars, '.', ','];
    private static readonly char[] TrailingJunk = [.. StrayChars, ','];

    /// <summary>Upper case, single spaces, trimmed.</summary>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var part in text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(part.ToUpperInvariant());
        }
        return sb.ToString();
    }

    /// <summary>
    /// Cleans <paramref name="raw"/> and records what changed in <paramref name="changes"/>. Numeric fields pass
    /// <paramref name="upperCase"/> false: lower-case glyphs (b, g, l) say which digit was misread.
    /// </summary>
    public static string Clean(string? raw, IReadOnlyList<string> labels, List<string> changes, bool upperCase = true)
    {
        if (string.IsNullOrWhiteSpace(raw)) return "";
        var text = raw.Replace('\r', ' ').Replace('\n', ' ').Replace('\t', ' ').Trim();

        var stripped = RemoveLabel(text, labels);
        if (stripped != text) { changes.Add(Change.LabelRemoved); text = stripped; }

        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kept = tokens.Where(t => !t.All(c => StrayChars.Contains(c))).ToList();
        if (kept.Count > 0)
        {
            kept[0] = kept[0].TrimStart(LeadingJunk);
            if (kept.Count > 0 && kept[^1].Length > 0) kept[^1] = kept[^1].TrimEnd(TrailingJunk);
            kept.RemoveAll(t => t.Length == 0);
        }
        var strayRemoved = !kept.SequenceEqual(tokens);
        if (strayRemoved) changes.Add(Change.StrayCharsRemoved);

        var joined = string.Join(' ', kept);
        if (joined.Length != text.Length && !strayRemoved) changes.Add(Change.SpacesCollapsed);
        if (!upperCase) return joined;
        var upper = joined.ToUpperInvariant();
        if (upper != joined) changes.Add(Change.UpperCased);
        return upper;
    }

    /// <summary>
    /// Drops a leading label: everything up to the first colon when that part is short and has no digit (a label
    /// or its remnant), else a leading run of tokens that OCR-matches one of <paramref name="labels"/>.
    /// </summary>
    internal static string RemoveLabel(string text, IReadOnlyList<string> labels)
    {
        var colon = text.IndexOf(':');
        if (colon >= 0 && colon <= MaxLabelPrefixLength && !text[..colon].Any(char.IsDigit))
            return text[(colon + 1)..].Trim();

        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var label in labels)
        {
            var n = label.Split(' ').Length;
            if (tokens.Length <= n) continue;
            var head = string.Join(' ', tokens[..n]);
            if (OcrEditDistance.Distance(head, label) <= Math.Max(0.4, 0.15 * label.Length))
                return string.Join(' ', tokens[n..]);
        }
        return text;
    }
}
