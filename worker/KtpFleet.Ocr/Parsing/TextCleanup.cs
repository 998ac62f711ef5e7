using System.Text;

namespace KtpFleet.Ocr.Parsing;

/// <summary>
/// The cleanup every field's raw OCR text gets: label remnants before the colon (<c>Nama : BUDI</c>), stray glyphs
/// OCR makes of the colon and box edges (<c>|</c>, <c>!</c>, <c>;</c>), line breaks and doubled spaces, lower case.
/// </summary>
public static class TextCleanup
{
    private const string StrayChars = ":;|!_~\"'`*^=»«";
    /// <summary>Up to this many characters before a colon are taken for a label fragment whatever they read.</summary>
    private const int MaxRemnantLength = 4;
    private static readonly char[] LeadingJunk = [.. StrayChars, '.', ','];
    private static readonly char[] TrailingJunk = [.. StrayChars, ','];

    /// <summary>Upper case, single spaces, trimmed.</summary>
    public static string Fold(string text)
    {
        if (IsSingleSpaced(text)) return text.ToUpperInvariant();
        var sb = new StringBuilder(text.Length);
        foreach (var part in text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(part.ToUpperInvariant());
        }
        return sb.ToString();
    }

    private static bool IsSingleSpaced(string text)
    {
        if (text.Length == 0) return true;
        if (text[0] == ' ' || text[^1] == ' ') return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\r' or '\n' || (c == ' ' && text[i - 1] == ' ')) return false;
        }
        return true;
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
            kept[^1] = kept[^1].TrimEnd(TrailingJunk);
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
    /// Drops a leading label: the text before the first colon when it is a label, the tail of one (a crop that cut
    /// the label) or a short remnant; else a leading run of tokens that OCR-matches one of <paramref name="labels"/>.
    /// </summary>
    internal static string RemoveLabel(string text, IReadOnlyList<string> labels)
    {
        var colon = text.IndexOf(':');
        if (colon >= 0 && IsLabelRemnant(text[..colon].Trim(), labels))
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

    private static bool IsLabelRemnant(string prefix, IReadOnlyList<string> labels)
    {
        if (prefix.Length <= MaxRemnantLength) return !prefix.Any(char.IsDigit);
        foreach (var label in labels)
        {
            if (prefix.Length > label.Length + 2) continue;
            var tail = label[Math.Max(0, label.Length - prefix.Length)..];
            if (OcrEditDistance.Distance(prefix, tail) <= Math.Max(0.4, 0.3 * prefix.Length)) return true;
        }
        return false;
    }
}
