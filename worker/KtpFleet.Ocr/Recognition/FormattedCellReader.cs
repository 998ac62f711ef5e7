using System.Text;
using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Reads a fixed-format digit value (a date <c>DD-MM-YYYY</c>, an RT/RW <c>000/000</c>) without segmenting it, as
/// <see cref="NikCellReader"/> reads a NIK: the line's ink is smoothed, every Arial-like digit template is correlated
/// with it at every x, and the reading is the grid the format lays out (digits at one advance, a hyphen or slash
/// between them at its own) whose digit cells correlate best. Blurred ~10-px digits that touch each other and their
/// separators, which neither Tesseract nor a blob split reads reliably, still show where each digit sits.
/// </summary>
internal sealed class FormattedCellReader
{
    // Arial advances over the digit advance (0.556 em): a hyphen 0.333 em, a slash 0.278 em.
    private const double HyphenInDigits = 0.333 / 0.556;
    private const double SlashInDigits = 0.278 / 0.556;
    // Digit advance over cap height is 0.777 in Arial; the band measured in noise is a pixel or two off the cap height.
    private const double MinPitch = 0.70;
    private const double MaxPitch = 0.86;
    private static readonly int[] HeightChanges = [0, -1, 1];
    /// <summary>
    /// Passes of the smoothing filter over each template: the print is blurred by the camera and by the smoothing,
    /// the templates are sharp, and a sharp template's thin strokes favour the simplest digits (a blurred 3 read as
    /// the footed 1 of Liberation Sans, 2 as 7).
    /// </summary>
    private const int TemplateBlur = 3;

    /// <summary>
    /// A reading whose weakest digit fits this well and leads its runner-up this clearly outweighs Tesseract where
    /// the two disagree (<see cref="DigitVote"/>). On 200 training photo cards, of the 97 values the pipeline and the
    /// cells read differently, 35 cell readings were this firm: 25 right where the pipeline was wrong, 4 wrong where
    /// it was right.
    /// </summary>
    private const double FirmScore = 0.65;
    private const double FirmLead = 0.08;

    public static bool IsFirm(FormattedDigitReading reading) => reading.MinScore >= FirmScore && reading.MinMargin >= FirmLead;

    private readonly GlyphFont[] _fonts;

    public FormattedCellReader() : this(GlyphTemplates.Nik) { }

    // Values are printed in Arial, never in OCR-A.
    internal FormattedCellReader(GlyphTemplates templates) =>
        _fonts = templates.Fonts.Where(f => !f.Name.StartsWith("ocra", StringComparison.Ordinal)).ToArray();

    /// <param name="region">the value's line with a few pixels of margin</param>
    /// <param name="format">digits as <c>0</c>, separators as themselves (<see cref="FormattedDigitReader.DateFormat"/>)</param>
    public FormattedDigitReading? Read(GrayImageView image, PixelRect region, string format)
    {
        var ink = SmoothedInk.FromRegion(image, region);
        if (ink is null) return null;
        var offsets = DigitOffsets(format);
        var (top, bottom) = ink.Band();
        var height = bottom - top;
        if (height < 7) return null;
        CellGrid? best = null;
        foreach (var dh in HeightChanges)
        {
            var (t, h) = (top - dh / 2, height + dh);
            if (t < 1 || t + h + 1 > ink.Height) continue;
            var responses = MergedResponses.Compute(ink, _fonts, t, h, TemplateBlur);
            if (CellGrid.Best(responses, offsets, h * MinPitch, h * MaxPitch) is { } grid && (best is null || grid.Total > best.Total))
                best = grid with { Top = t, Height = h };
        }
        if (best is null) return null;
        var text = new StringBuilder(format.Length);
        var next = 0;
        foreach (var c in format) text.Append(c == '0' ? best.Digits[next++] : c);
        var box = new PixelRect(ink.OriginX + best.Start, ink.OriginY + best.Top, best.End - best.Start, best.Height);
        return new FormattedDigitReading(text.ToString(), best.Scores.Min(), best.Margins.Min(), box);
    }

    /// <summary>Where each digit's advance starts, in digit advances from the first.</summary>
    internal static double[] DigitOffsets(string format)
    {
        var offsets = new List<double>();
        var at = 0.0;
        foreach (var c in format)
        {
            if (c == '0') offsets.Add(at);
            at += c switch
            {
                '0' => 1,
                '-' => HyphenInDigits,
                '/' => SlashInDigits,
                _ => throw new ArgumentException($"format character '{c}' is not a digit (0), '-' or '/'", nameof(format)),
            };
        }
        return [.. offsets];
    }
}

/// <summary>
/// The digit responses (<see cref="DigitResponses"/>) of one or several fonts at one height, merged: at each x the best
/// digit in any font, and the best response of any other digit. Each digit of a date is read in its best font: a value
/// has too few digits to choose the font by (a footed Liberation <c>1</c> matches a Nimbus <c>2</c> better than a
/// Nimbus <c>1</c>); a NIK's sixteen are read in one font at a time (<see cref="NikCellReader"/>).
/// </summary>
internal sealed class MergedResponses
{
    public required float[] Best { get; init; }
    public required float[] Second { get; init; }
    /// <summary>The best digit at each x; <see cref="NoDigit"/> where no window there has any ink variation.</summary>
    public required char[] Digit { get; init; }
    public const char NoDigit = '?';
    public required int TemplateWidth { get; init; }
    public int Positions => Best.Length;

    public static MergedResponses Compute(SmoothedInk ink, IReadOnlyList<GlyphFont> fonts, int top, int height, int templateBlur = 0)
    {
        var perFont = fonts.Select(f => DigitResponses.Compute(ink, f, top, height, templateBlur)).ToList();
        // Fonts' widest digits differ by a pixel or two; positions beyond the narrowest response set are dropped.
        var positions = perFont.Min(r => r.Positions);
        var best = new float[positions];
        var second = new float[positions];
        var digit = new char[positions];
        for (var x = 0; x < positions; x++)
        {
            float b = -1, s = -1;
            var d = NoDigit;
            foreach (var r in perFont)
            {
                var c = r.Font.Chars[r.BestDigit[x]];
                if (r.Best[x] > b)
                {
                    // The old best is a rival unless it was the same digit in another font.
                    s = Math.Max(s, d != c ? Math.Max(b, r.Second[x]) : r.Second[x]);
                    b = r.Best[x];
                    d = c;
                }
                else
                {
                    s = Math.Max(s, c != d ? r.Best[x] : r.Second[x]);
                }
            }
            (best[x], second[x], digit[x]) = (b, s, d);
        }
        return new MergedResponses { Best = best, Second = second, Digit = digit, TemplateWidth = perFont.Max(r => r.TemplateWidth) };
    }
}
