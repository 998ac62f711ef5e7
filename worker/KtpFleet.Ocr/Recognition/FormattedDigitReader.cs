using System.Text;
using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Recognition;

/// <summary>What the digit-cell reader read (e.g. <c>12-08-1990</c>), its weakest digit's score and lead, and where.</summary>
/// <param name="TextBeforeRight">where the last letter before the value ends (a value read at a line's end), in image pixels</param>
public sealed record FormattedDigitReading(string Text, double MinScore, double MinMargin, PixelRect Box, int? TextBeforeRight = null)
{
    /// <summary>
    /// Weakest digit's fit and lead for a reading taken without Tesseract. On training cards (seed 100: 200 photo,
    /// 60 clean; dates and RT/RW) none of the readings past both was wrong: 152 of 193 clean values, 40 of 623
    /// photo ones. The fit is what tells sharp print from blurred: at a fit of 0.5 the same lead let 1 wrong photo
    /// value of 173 through (and more on the held-out cards), while keeping only 8 more clean ones.
    /// The lead is the NIK's (<see cref="FieldRecognizer.GlyphConfidence(double, double)"/>).
    /// </summary>
    public const double DecisiveScore = 0.65;
    public const double DecisiveMargin = 0.07;

    public bool IsDecisive => MinScore >= DecisiveScore && MinMargin >= DecisiveMargin;
}

/// <summary>
/// Reads a value of fixed format — a date <c>DD-MM-YYYY</c>, an RT/RW <c>000/000</c> — digit by digit in cells laid
/// out by the format. KTP values are set in Arial, whose digits all have the same advance, so the value's ink box
/// and the format say where each digit is; each cell is matched against digit templates as the NIK is
/// (<see cref="GlyphTemplates"/>). Blurred ~10-px digits that touch their neighbours, which Tesseract misreads
/// and no connected-component split can separate, are cut where the font puts them.
/// </summary>
/// <remarks>
/// A value whose ink box does not have the format's proportions, or whose separators are not where the format puts
/// them, is not read (null): it is not in this format, or the box is wrong, and Tesseract reads it instead.
/// </remarks>
public sealed class FormattedDigitReader
{
    public const string DateFormat = "00-00-0000";
    public const string RtRwFormat = "000/000";

    // Arial / Helvetica advances in em; the ink of a run starts and ends about 0.045 em inside its first and last advance.
    private const double DigitAdvance = 0.556;
    private const double HyphenAdvance = 0.333;
    private const double SlashAdvance = 0.278;
    private const double SideBearing = 0.045;
    private const double CapHeightEm = 0.716;

    private readonly GlyphFont[] _fonts;

    public FormattedDigitReader() : this(GlyphTemplates.Nik) { }

    // The Arial-like digit sets of the NIK templates: values are never printed in OCR-A.
    internal FormattedDigitReader(GlyphTemplates templates) =>
        _fonts = templates.Fonts.Where(f => !f.Name.StartsWith("ocra", StringComparison.Ordinal)).ToArray();

    /// <param name="region">the value line (it may start with the colon)</param>
    /// <param name="lineHeight">height of the text row as located</param>
    /// <param name="format">digits as <c>0</c>, separators as themselves: <see cref="DateFormat"/>, <see cref="RtRwFormat"/></param>
    /// <param name="atLineEnd">the value ends the line after other text (the date after the birthplace)</param>
    public FormattedDigitReading? Read(GrayImageView image, PixelRect region, int lineHeight, string format, bool atLineEnd = false)
    {
        var mask = InkMask.FromRegion(image, region);
        if (mask.Width == 0) return null;
        var core = mask.Core();
        var components = ConnectedComponents.Find(core);
        if (ValueInk.Find(components, lineHeight) is not { } ink) return null;
        var inkWidthEm = InkWidthEm(format);
        var expected = inkWidthEm / CapHeightEm * ink.CapHeight;
        FormattedDigitReading? best = null;
        foreach (var (run, before) in Runs(ink, expected, atLineEnd))
        {
            var reading = ReadRun(mask, core, components, run, format, inkWidthEm);
            if (reading is not null && before is { } b) reading = reading with { TextBeforeRight = mask.OriginX + b.Right };
            if (reading is not null && (best is null || reading.MinScore > best.MinScore)) best = reading;
        }
        return best;
    }

    /// <summary>
    /// Candidate ink boxes of the value, each within a fifth of the width its format gives at the line's cap height:
    /// the whole line (with and without a first narrow mark, the colon), or, at a line's end, from each letter that
    /// starts a run of about that width.
    /// </summary>
    private static IEnumerable<(InkComponent Run, InkComponent? LetterBefore)> Runs(ValueInk ink, double expectedWidth, bool atLineEnd)
    {
        var letters = ink.Letters;
        var last = letters[^1];
        var starts = atLineEnd ? Enumerable.Range(0, letters.Count) : Enumerable.Range(0, Math.Min(2, letters.Count));
        foreach (var start in starts)
        {
            var width = last.Right - letters[start].X;
            if (Math.Abs(width - expectedWidth) > expectedWidth * 0.2) continue;
            // A run at the line's end starts after a word space (the comma's and the birthplace's ink lie before it).
            if (atLineEnd && start > 0 && letters[start].X - letters[start - 1].Right < ink.CapHeight * 0.12) continue;
            var run = letters[start];
            for (var i = start + 1; i < letters.Count; i++) run = run.Union(letters[i]);
            yield return (run, start > 0 ? letters[start - 1] : null);
        }
    }

    private FormattedDigitReading? ReadRun(InkMask mask, InkMask core, IReadOnlyList<InkComponent> components, InkComponent run, string format, double inkWidthEm)
    {
        var pxPerEm = run.Width / inkWidthEm;
        var cells = new List<(char Char, InkComponent Box)>();
        var at = -SideBearing;
        foreach (var c in format)
        {
            var x0 = Math.Clamp(run.X + (int)Math.Round(at * pxPerEm), run.X, run.Right - 1);
            at += Advance(c);
            var x1 = Math.Clamp(run.X + (int)Math.Round(at * pxPerEm), x0 + 1, run.Right);
            cells.Add((c, new InkComponent(x0, run.Y, x1 - x0, run.Height, 0)));
        }
        foreach (var (c, cell) in cells)
            if (c != '0' && !SeparatorFits(mask, cell, c)) return null;

        var blobs = components.Where(b => b.Area >= 2 && b.Bottom > run.Y && b.Y < run.Bottom).ToList();
        var digits = cells.Where(c => c.Char == '0').Select(c => DigitBox(core, blobs, c.Box)).ToList();
        if (digits.Any(d => d is null)) return null;
        var bitmaps = digits.Select(d => GlyphTemplates.Extract(mask, d!)).ToList();
        // Each digit by its best font: a date has too few digits to choose the font by (Liberation's '1' has a
        // foot, Nimbus's has none, and a footed '1' matches a Nimbus '2' better than a Nimbus '1').
        var best = bitmaps.Select(b => GlyphTemplates.ClassifyAcross(b, _fonts)).ToList();
        var text = new StringBuilder(format.Length);
        var next = 0;
        foreach (var c in format) text.Append(c == '0' ? best![next++].Char : c);
        var where = new PixelRect(mask.OriginX + run.X, mask.OriginY + run.Y, run.Width, run.Height);
        return new FormattedDigitReading(text.ToString(), best!.Min(m => m.Score), best!.Min(m => m.Margin), where);
    }

    /// <summary>
    /// A hyphen has its ink in the middle band of the cap height; a slash reaches from near the top to near the
    /// bottom. A cell that fails is not a separator: the run is not this format, or the cells are misplaced.
    /// Judged on the whole ink mask, not its dark core: a thin blurred hyphen is lighter than the digits.
    /// </summary>
    private static bool SeparatorFits(InkMask ink, InkComponent cell, char separator)
    {
        int total = 0, middle = 0, top = int.MaxValue, bottom = -1;
        // Only the middle of the cell: blur spreads the neighbouring digits' edges into it.
        var inset = (int)Math.Round(cell.Width * 0.2);
        for (var y = cell.Y; y < cell.Bottom; y++)
        for (var x = cell.X + inset; x < cell.Right - inset; x++)
        {
            if (!ink[x, y]) continue;
            total++;
            var rel = (y - cell.Y + 0.5) / cell.Height;
            if (rel is >= 0.25 and <= 0.8) middle++;
            top = Math.Min(top, y);
            bottom = Math.Max(bottom, y);
        }
        if (total == 0) return false;
        return separator == '-'
            ? middle >= total * 0.75
            : bottom - top + 1 >= cell.Height * 0.7;
    }

    /// <summary>
    /// The ink of the digit in <paramref name="cell"/>: the blobs centred in it (a digit broken in pieces is whole
    /// again), a blob fused with its neighbours cut at the cell's edges, over the run's full height (digits are
    /// cap-height).
    /// </summary>
    private static InkComponent? DigitBox(InkMask core, List<InkComponent> blobs, InkComponent cell)
    {
        int left = int.MaxValue, right = -1;
        foreach (var b in blobs)
        {
            if (b.Right <= cell.X || b.X >= cell.Right) continue;
            if (b.Width > cell.Width * 1.3)
            {
                // Fused with a neighbour: only its columns inside this cell are this digit's.
                left = Math.Min(left, Math.Max(b.X, cell.X));
                right = Math.Max(right, Math.Min(b.Right, cell.Right));
            }
            else if (b.X + b.Width / 2.0 is var centre && centre >= cell.X && centre < cell.Right)
            {
                left = Math.Min(left, b.X);
                right = Math.Max(right, b.Right);
            }
        }
        if (right <= left) return null;
        var area = 0;
        for (var y = cell.Y; y < cell.Bottom; y++)
        for (var x = left; x < right; x++)
            if (core[x, y]) area++;
        return area == 0 ? null : new InkComponent(left, cell.Y, right - left, cell.Height, area);
    }

    private static double InkWidthEm(string format) => format.Sum(Advance) - 2 * SideBearing;

    private static double Advance(char c) => c switch
    {
        '0' => DigitAdvance,
        '-' => HyphenAdvance,
        '/' => SlashAdvance,
        _ => throw new ArgumentException($"format character '{c}' is not a digit (0), '-' or '/'", nameof(c)),
    };
}
