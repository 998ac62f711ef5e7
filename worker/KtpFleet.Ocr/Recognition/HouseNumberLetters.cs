using System.Text.RegularExpressions;
using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// The letter B of a house number or block (<c>NO. 176B</c>, <c>BLOK B17</c>), which Tesseract reads as the digit 8
/// at high confidence: blurred, the two differ only on the left, where B has a straight stem and 8 two round bowls.
/// The text cannot tell (<c>NO. 1768</c> is a house number too); the glyph's left edge can, at photo print's usual
/// ~16-px cap height. At ~13 px and heavy blur an 8's waist fills in and it may pass for a B, so a restored B leaves
/// the address in doubt (<see cref="Parsing.Change.LetterRestored"/>).
/// </summary>
internal static partial class HouseNumberLetters
{
    /// <summary>
    /// Share of the glyph's rows one of its first two columns must darken to be a stem. Blurred, a B's reach 0.82–1.0
    /// (training photos and scans), but so do an 8's bowls (0.80–0.88): this only rules out glyphs with no edge of a
    /// stem's length; the waist tells the two apart (<see cref="MaxWaistIndent"/>).
    /// </summary>
    public const double MinStemShare = 0.8;

    /// <summary>
    /// The word's text with an 8 that has a B's shape read as B: the last of a number, or the first of a block's
    /// code (after <c>BLOK</c>: a house number may well start with 8).
    /// </summary>
    public static string Text(CompositeLines stack, OcrWord word, OcrWord? previous)
    {
        if (TrailingEight().IsMatch(word.Text) && LastGlyphHasStem(stack, word.Box))
            return word.Text[..^1] + Parsing.FreeTextParser.RestoredB;
        if (previous?.Text == "BLOK" && LeadingEight().IsMatch(word.Text) && FirstGlyphHasStem(stack, word.Box))
            return Parsing.FreeTextParser.RestoredB + word.Text[1..];
        return word.Text;
    }

    [GeneratedRegex(@"^[0-9]+8$")]
    private static partial Regex TrailingEight();

    [GeneratedRegex(@"^8[0-9]+$")]
    private static partial Regex LeadingEight();

    /// <summary>
    /// The word's last glyph starts with a stem: its right end is the word's last ink, its left the emptiest column a
    /// glyph's width before that (the gap to the digit before it, which blur may have bridged).
    /// </summary>
    internal static bool LastGlyphHasStem(CompositeLines stack, PixelRect word)
    {
        var box = stack.InkRows(word);
        if (box.Height < 6 || box.X < 0 || box.X >= stack.Width) return false;
        var right = Math.Min(stack.Width - 1, box.Right + box.Height / 4);
        while (right > box.X && Ink(stack, box, right) == 0) right--;
        int from = Math.Max(box.X, right - box.Height), to = Math.Max(from, right - box.Height / 2);
        int gap = from, gapInk = Ink(stack, box, from);
        for (var x = from + 1; x <= to; x++)
            if (Ink(stack, box, x) is var ink && ink < gapInk) (gap, gapInk) = (x, ink);
        var left = gap;
        while (left < right && Ink(stack, box, left) == 0) left++;
        return HasStem(stack, box, left);
    }

    /// <summary>The word's first glyph starts with a stem (its left edge is the word's first ink: a space lies before it).</summary>
    internal static bool FirstGlyphHasStem(CompositeLines stack, PixelRect word)
    {
        var box = stack.InkRows(word);
        if (box.Height < 6 || box.X >= stack.Width) return false;
        var left = Math.Max(0, box.X - box.Height / 4);
        while (left < Math.Min(box.Right, stack.Width - 1) && Ink(stack, box, left) == 0) left++;
        return HasStem(stack, box, left);
    }

    /// <summary>
    /// A stem: one of the glyph's first two ink columns darkens most of its rows, and its left edge does not step in
    /// at the middle (an 8's waist, between its bowls, is set in from the lower bowl by a pixel or more even blurred;
    /// a B's stem runs straight past its middle bar).
    /// </summary>
    private static bool HasStem(CompositeLines stack, PixelRect box, int left)
    {
        var share = Math.Max(Ink(stack, box, left), Ink(stack, box, Math.Min(left + 1, stack.Width - 1))) / (double)box.Height;
        if (share < MinStemShare) return false;
        double Indent(double from, double to)
        {
            int y0 = box.Y + (int)(from * box.Height), y1 = box.Y + (int)Math.Ceiling(to * box.Height);
            var sum = 0;
            for (var y = y0; y < y1; y++)
            {
                var x = left;
                while (x < Math.Min(left + box.Height / 2, stack.Width - 1) && stack.Row(y)[x] >= CompositeLines.InkLevel) x++;
                sum += x - left;
            }
            return sum / (double)Math.Max(1, y1 - y0);
        }
        return Indent(0.35, 0.6) - Indent(0.65, 0.85) < MaxWaistIndent;
    }

    /// <summary>
    /// How far, in pixels on average, the left edge may step in at the glyph's middle over its lower part and still be
    /// a stem. On training photo and scan cards, B read as 8 stepped in 0 px; true 8s 0.5–1.25 px.
    /// </summary>
    private const double MaxWaistIndent = 0.4;

    /// <summary>Ink pixels of column <paramref name="x"/> within the box's rows.</summary>
    private static int Ink(CompositeLines stack, PixelRect box, int x)
    {
        var count = 0;
        for (var y = box.Y; y < Math.Min(box.Bottom, stack.Height); y++)
            if (stack.Row(y)[x] < CompositeLines.InkLevel) count++;
        return count;
    }
}
