namespace KtpFleet.Ocr.Parsing;

/// <summary>
/// Levenshtein distance, case-insensitive, in which the substitutions OCR typically makes (O/0, I/1/L, S/5, B/8,
/// Z/2, G/6, ...) and the split/merged glyphs (RN/M, VV/W, CL/D) are cheap, and spaces/punctuation are half-price
/// (OCR drops and invents them around label colons and dots). Symmetric; 0 only for equal strings (ignoring case).
/// </summary>
public static class OcrEditDistance
{
    public const double ConfusionCost = 0.4;
    public const double MultiGlyphCost = 0.5;
    public const double SpacingCost = 0.5;

    // Characters in one group are read as one another by Tesseract on KTP print (upper case).
    private static readonly string[] ConfusionGroups = ["O0DQ", "I1L|!", "S5$", "B8", "Z2", "G6", "A4", "T7", "UV", "C("];
    private static readonly (string Many, char One)[] MultiGlyphs = [("RN", 'M'), ("VV", 'W'), ("CL", 'D'), ("II", 'U')];

    private static readonly int[] GroupOf = BuildGroups();

    private static int[] BuildGroups()
    {
        var groups = new int[128];
        for (var g = 0; g < ConfusionGroups.Length; g++)
            foreach (var c in ConfusionGroups[g]) groups[c] = g + 1;
        return groups;
    }

    public static double SubstitutionCost(char a, char b) =>
        Substitution(char.ToUpperInvariant(a), char.ToUpperInvariant(b));

    private static double Substitution(char a, char b)
    {
        if (a == b) return 0;
        if (a < 128 && b < 128 && GroupOf[a] != 0 && GroupOf[a] == GroupOf[b]) return ConfusionCost;
        if (!char.IsLetterOrDigit(a) && !char.IsLetterOrDigit(b)) return SpacingCost;
        return 1;
    }

    public static double IndelCost(char c) => char.IsLetterOrDigit(c) ? 1 : SpacingCost;

    public static double Distance(string a, string b) => Distance(a, b, double.PositiveInfinity);

    /// <summary>The distance, or +infinity as soon as it is certain to exceed <paramref name="limit"/>.</summary>
    public static double Distance(string a, string b, double limit)
    {
        var n = a.Length;
        var m = b.Length;
        // Called for thousands of candidates per snap: scratch lives on the stack for the usual short names.
        Span<char> upper = n + m <= 256 ? stackalloc char[n + m] : new char[n + m];
        var ua = upper[..n];
        var ub = upper[n..];
        a.AsSpan().ToUpperInvariant(ua);
        b.AsSpan().ToUpperInvariant(ub);
        Span<double> rows = m < 128 ? stackalloc double[3 * (m + 1)] : new double[3 * (m + 1)];
        var prev2 = rows[..(m + 1)];
        var prev = rows.Slice(m + 1, m + 1);
        var cur = rows.Slice(2 * (m + 1), m + 1);
        prev.Clear();
        for (var j = 1; j <= m; j++) prev[j] = prev[j - 1] + IndelCost(ub[j - 1]);
        var prevRowMin = 0.0;
        for (var i = 1; i <= n; i++)
        {
            var ai = ua[i - 1];
            var deleteA = IndelCost(ai);
            cur[0] = prev[0] + deleteA;
            var rowMin = cur[0];
            for (var j = 1; j <= m; j++)
            {
                var bj = ub[j - 1];
                var best = Math.Min(prev[j] + deleteA, cur[j - 1] + IndelCost(bj));
                best = Math.Min(best, prev[j - 1] + Substitution(ai, bj));
                if (i >= 2 && IsMultiGlyph(ua[i - 2], ai, bj)) best = Math.Min(best, prev2[j - 1] + MultiGlyphCost);
                if (j >= 2 && IsMultiGlyph(ub[j - 2], bj, ai)) best = Math.Min(best, prev[j - 2] + MultiGlyphCost);
                cur[j] = best;
                rowMin = Math.Min(rowMin, best);
            }
            // Every later cell derives from one of the last two rows plus non-negative costs, so once both rows
            // exceed the limit the distance does too.
            if (Math.Min(rowMin, prevRowMin) > limit) return double.PositiveInfinity;
            prevRowMin = rowMin;
            var recycled = prev2;
            prev2 = prev;
            prev = cur;
            cur = recycled;
        }
        var d = prev[m];
        return d > limit ? double.PositiveInfinity : d;
    }

    private static bool IsMultiGlyph(char first, char second, char one)
    {
        if (one is not ('M' or 'W' or 'D' or 'U')) return false;
        foreach (var (many, single) in MultiGlyphs)
            if (many[0] == first && many[1] == second && single == one) return true;
        return false;
    }
}
