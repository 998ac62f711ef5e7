using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// The period after an address abbreviation (<c>JL.</c>, <c>GG.</c>, <c>NO.</c>, <c>KP.</c>, <c>KH.</c>), which
/// Tesseract drops from blurred print: a 2-px dot beside a word reads as nothing. Both spellings are printed
/// (<c>NO. 19</c>, <c>NO 21</c>), so the text cannot say; the image can. A period takes its own advance before the
/// space: in Arial the gap to the next word is ~0.8 cap heights with one and ~0.4 without (blur narrows both).
/// </summary>
internal static class AbbreviationPeriods
{
    /// <summary>
    /// The gap, in word heights, from which a period is taken as printed. On 100 training photo cards Tesseract
    /// dropped 30 such periods: 23 left a gap (inside the blur halos) of ≥ 0.47; the specimen's unpunctuated <c>NO 21</c> leaves 0.25.
    /// </summary>
    public const double MinGap = 0.47;

    /// <summary>
    /// The word's text, with a period (<see cref="Parsing.FreeTextParser.RestoredPeriod"/>) appended when it is an
    /// abbreviation followed by one in the image: before the
    /// next word, or, for the last word of a line, before <paramref name="lineRight"/> (the right edge of its crop).
    /// </summary>
    public static string Text(CompositeLines stack, OcrWord word, OcrWord? next, int lineRight)
    {
        if (!Parsing.FreeTextParser.PeriodAbbreviations.Contains(word.Text)) return word.Text;
        var box = stack.InkRows(word.Box);
        var period = next is not null ? HasPeriod(stack, box, next.Box) : HasFinalPeriod(stack, box, lineRight);
        return period ? word.Text + Parsing.FreeTextParser.RestoredPeriod : word.Text;
    }

    /// <summary>
    /// After a line's last word, up to the end of its crop (the padding after the line's ink, where a faint period
    /// the line finder left out still shows): ink on the baseline, none above it.
    /// </summary>
    internal static bool HasFinalPeriod(CompositeLines stack, PixelRect word, int cropRight)
    {
        var halo = (int)Math.Round(2 * stack.Scale);
        var x1 = Math.Min(cropRight, stack.Width) - 1;
        if (word.Height < 6 || x1 < word.Right + halo) return false;
        var (onBaseline, above) = Darkest(stack, word, word.Right + halo, x1);
        return onBaseline <= 190 && above >= 242;
    }

    /// <summary>
    /// A gap wide enough for a period and a space, holding no ink above the baseline band that is darker than the
    /// ink on it (a letter Tesseract dropped is tall; a period is not). The gap is the widest run of columns without
    /// letter ink from the word's middle to the next word's: an LSTM's word boxes are a few pixels off on blurred
    /// print, cutting into the last letter or taking in the dropped period.
    /// </summary>
    internal static bool HasPeriod(CompositeLines stack, PixelRect word, PixelRect next)
    {
        if (word.Height < 6) return false;
        var (start, end) = WidestGap(stack, word, word.X + word.Width / 2, Math.Min(next.X + next.Width / 2, stack.Width - 1));
        // Two card pixels in from each side: the neighbours' blur halo is not in the gap.
        var halo = (int)Math.Round(2 * stack.Scale);
        int x0 = start + halo, x1 = end - halo;
        if (x1 - x0 + 1 < MinGap * word.Height) return false;
        var (onBaseline, above) = Darkest(stack, word, x0, x1);
        // Paper is 255 in the stack; a trace of ink above the band is blur, not a letter, unless it outweighs the dot.
        return above >= 242 || above > onBaseline;
    }

    /// <summary>The widest run of columns in [from, to] with no letter ink above the word's baseline band (empty: start &gt; end).</summary>
    private static (int Start, int End) WidestGap(CompositeLines stack, PixelRect word, int from, int to)
    {
        (int Start, int End) widest = (0, -1);
        var runStart = -1;
        for (var x = from; x <= to + 1; x++)
        {
            var clear = x <= to && Darkest(stack, word, x, x).Above >= CompositeLines.InkLevel;
            if (clear && runStart < 0) runStart = x;
            if (clear || runStart < 0) continue;
            if (x - 1 - runStart > widest.End - widest.Start) widest = (runStart, x - 1);
            runStart = -1;
        }
        return widest;
    }

    /// <summary>The darkest pixel of columns x0..x1 in the word's baseline band (its lowest 35 %) and above it.</summary>
    private static (byte OnBaseline, byte Above) Darkest(CompositeLines stack, PixelRect word, int x0, int x1)
    {
        int baselineTop = word.Bottom - (int)Math.Ceiling(word.Height * 0.35), top = word.Y + word.Height / 5;
        int bottom = Math.Min(word.Bottom + 1, stack.Height - 1);
        byte onBaseline = 255, above = 255;
        for (var y = top; y <= bottom; y++)
        {
            var row = stack.Row(y);
            for (var x = x0; x <= x1; x++)
            {
                if (y >= baselineTop) onBaseline = Math.Min(onBaseline, row[x]);
                else above = Math.Min(above, row[x]);
            }
        }
        return (onBaseline, above);
    }
}
