using System.Numerics;
using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Reads a NIK line without segmenting glyphs: in a small, noisy capture (a card a few hundred pixels wide, sensor
/// noise, JPEG blocks) thresholded glyphs break into specks and fuse with the noise around them, so no segmentation
/// yields sixteen glyphs, while the smoothed ink still shows where each digit sits. Every digit template is
/// correlated with the smoothed line at every position; the NIK is printed at one pitch, so the reading is the
/// sixteen-cell grid (font, pitch, start) whose cells correlate best, each cell read as its best digit there.
/// </summary>
internal sealed class NikCellReader
{
    private const int Cells = NikGlyphReader.NikLength;
    /// <summary>
    /// Cells this well correlated on average, no more than three of them below <see cref="UnreadCellScore"/>: any
    /// printed line correlates with digit templates at about 0.45–0.55 (letters share strokes with digits); NIK lines
    /// read right score 0.55–0.8 (60 generated hard captures).
    /// </summary>
    private const double MinAverageScore = 0.55;
    private const double UnreadCellScore = 0.3;
    private const int MaxUnreadCells = 3;
    private readonly GlyphTemplates _templates;

    public NikCellReader() : this(GlyphTemplates.Nik) { }

    internal NikCellReader(GlyphTemplates templates) => _templates = templates;

    /// <summary>Reads the line in <paramref name="region"/> (the line with a few pixels of margin); null when it cannot hold sixteen digits.</summary>
    /// <param name="refine">
    /// Also try every font at up to two pixels shorter and taller than the band measured: in noise the band's edges
    /// are uncertain by that much, and a template a size off fits every digit worse (on 200 generated hard captures,
    /// 16 more NIKs read exactly; heights ±2 alone, or only the font chosen at the measured height, lost most of that).
    /// Without it, a quick survey for choosing among lines.
    /// </param>
    /// <param name="font">Survey in this font only (a font the line is already known to be printed in): six times quicker.</param>
    public NikGlyphReading? Read(GrayImageView image, PixelRect region, bool refine = true, string? font = null)
    {
        var ink = SmoothedInk.FromRegion(image, region);
        if (ink is null) return null;
        var (top, bottom) = ink.Band();
        var height = bottom - top;
        if (height < 8 || ink.Width < height * MinPitch * Cells) return null;

        CellGrid? best = null;
        var bestFont = "";
        void Try(GlyphFont candidate, int dh)
        {
            var (t, h) = (top - dh / 2, height + dh);
            if (t < 1 || t + h + 1 > ink.Height) return;
            var grid = CellGrid.Best(MergedResponses.Compute(ink, [candidate], t, h), Offsets, h * MinPitch, h * MaxPitch);
            if (grid is null || (best is not null && grid.Total <= best.Total)) return;
            best = grid with { Top = t, Height = h };
            bestFont = candidate.Name;
        }
        foreach (var f in _templates.Fonts.Where(f => font is null || f.Name == font)) Try(f, 0);
        if (best is null) return null;
        if (refine)
        {
            foreach (var f in _templates.Fonts)
            foreach (var dh in HeightChanges) Try(f, dh);
            if (font is not null)
                foreach (var f in _templates.Fonts.Where(f => f.Name != font)) Try(f, 0);
        }
        var box = new PixelRect(ink.OriginX + best.Start, ink.OriginY + best.Top, best.End - best.Start, best.Height);
        return new NikGlyphReading(best.Digits, [.. best.Scores], [.. best.Margins], bestFont, box) { FromCells = true };
    }

    private static readonly int[] HeightChanges = [-2, -1, 1, 2];

    /// <summary>Sixteen cells one digit advance apart: the NIK is printed at one pitch.</summary>
    private static readonly double[] Offsets = [.. Enumerable.Range(0, Cells).Select(i => (double)i)];

    /// <summary>The digit advance over the band's height: wide bounds (the band's height is a few pixels uncertain).</summary>
    private const double MinPitch = 0.5;
    private const double MaxPitch = 1.0;

    /// <summary>Whether a cell reading fits digits well enough to be a NIK rather than any line of print.</summary>
    public static bool HoldsNik(NikGlyphReading reading) =>
        reading.Scores.Average() >= MinAverageScore && reading.Scores.Count(s => s < UnreadCellScore) <= MaxUnreadCells;
}

/// <summary>
/// Each digit template of one font, scaled to the line's height and padded to the font's widest digit, correlated
/// (Pearson) with the smoothed ink at every x: <see cref="Best"/>[x] is the best digit's correlation with the window
/// starting at x, <see cref="Second"/>[x] the runner-up's (another digit). Padding makes a narrow '1' claim the paper
/// beside it too, so it cannot hide inside the stem of a wider digit.
/// </summary>
internal sealed class DigitResponses
{
    public required GlyphFont Font { get; init; }
    public required int TemplateWidth { get; init; }
    public required float[] Best { get; init; }
    public required float[] Second { get; init; }
    public required int[] BestDigit { get; init; }
    public int Positions => Best.Length;

    /// <param name="templateBlur">
    /// Passes of the line's 3×3 binomial filter over each template in its window: a template about as blurred as the
    /// print it is compared with.
    /// </param>
    public static DigitResponses Compute(SmoothedInk ink, GlyphFont font, int top, int height, int templateBlur = 0)
    {
        var templates = font.Rasters.Select(g => g.Scaled(height)).ToList();
        var width = templates.Max(t => t.Width);
        var padded = templates.Select(t => UnitTemplate(t, width, height, templateBlur)).ToList();
        var positions = Math.Max(ink.Width - width + 1, 0);
        var best = new float[positions];
        var second = new float[positions];
        var bestDigit = new int[positions];
        Array.Fill(best, -1);
        Array.Fill(second, -1);
        // One row of slack either way: the band's edges are a pixel or two uncertain.
        for (var dy = -1; dy <= 1; dy++)
        {
            var y0 = top + dy;
            if (y0 < 0 || y0 + height > ink.Height) continue;
            var norms = new double[positions];
            for (var x = 0; x < positions; x++) norms[x] = ink.WindowNorm(x, y0, width, height);
            for (var d = 0; d < padded.Count; d++)
            {
                var dots = ink.CrossCorrelate(padded[d], y0, width, height, positions);
                for (var x = 0; x < positions; x++)
                {
                    if (norms[x] < 1e-3) continue;
                    var c = (float)(dots[x] / norms[x]);
                    // The best response per digit over the slack, then best and runner-up among digits.
                    if (c > best[x])
                    {
                        if (bestDigit[x] != d) second[x] = best[x];
                        best[x] = c;
                        bestDigit[x] = d;
                    }
                    else if (c > second[x] && bestDigit[x] != d)
                    {
                        second[x] = c;
                    }
                }
            }
        }
        return new DigitResponses { Font = font, TemplateWidth = width, Best = best, Second = second, BestDigit = bestDigit };
    }

    /// <summary>The template centred in a window of the font's widest digit, zero-mean and of unit length.</summary>
    private static float[] UnitTemplate((float[] Pixels, int Width) t, int width, int height, int blur)
    {
        var window = new float[width * height];
        var offset = (width - t.Width) / 2;
        for (var y = 0; y < height; y++)
            Array.Copy(t.Pixels, y * t.Width, window, y * width + offset, t.Width);
        for (var pass = 0; pass < blur; pass++) window = SmoothedInk.Binomial(window, width, height);
        var mean = window.Average();
        for (var i = 0; i < window.Length; i++) window[i] -= mean;
        var length = Math.Sqrt(window.Sum(v => (double)v * v));
        if (length > 0) for (var i = 0; i < window.Length; i++) window[i] = (float)(window[i] / length);
        return window;
    }
}

/// <summary>
/// A region's ink darkness (0 paper .. 1 ink) after smoothing: two passes of a 3×3 binomial filter average sensor
/// noise and JPEG blocks away while a digit's strokes, several pixels wide on the canonical card, stay.
/// </summary>
internal sealed class SmoothedInk
{
    private readonly float[] _dark;
    private readonly double[] _sum;
    private readonly double[] _squares;
    public int Width { get; }
    public int Height { get; }
    public int OriginX { get; }
    public int OriginY { get; }

    private SmoothedInk(float[] dark, int width, int height, int originX, int originY)
    {
        _dark = dark;
        Width = width;
        Height = height;
        OriginX = originX;
        OriginY = originY;
        // Integral images of the ink and its square: every window's mean and spread in four lookups.
        _sum = new double[(width + 1) * (height + 1)];
        _squares = new double[(width + 1) * (height + 1)];
        for (var y = 0; y < height; y++)
        {
            double row = 0, rowSquares = 0;
            for (var x = 0; x < width; x++)
            {
                var v = dark[y * width + x];
                row += v;
                rowSquares += v * v;
                _sum[(y + 1) * (width + 1) + x + 1] = _sum[y * (width + 1) + x + 1] + row;
                _squares[(y + 1) * (width + 1) + x + 1] = _squares[y * (width + 1) + x + 1] + rowSquares;
            }
        }
    }

    public static SmoothedInk? FromRegion(GrayImageView image, PixelRect region)
    {
        var r = region.ClipTo(image.Width, image.Height);
        if (r.Width < 8 || r.Height < 8) return null;
        var values = Array.ConvertAll(image.Copy(r), v => (float)v);
        values = Binomial(Binomial(values, r.Width, r.Height), r.Width, r.Height);
        var paper = Percentile(values, 0.6);
        var ink = Percentile(values, 0.01);
        var range = Math.Max(paper - ink, 1f);
        for (var i = 0; i < values.Length; i++) values[i] = Math.Clamp((paper - values[i]) / range, 0, 1);
        return new SmoothedInk(values, r.Width, r.Height, r.X, r.Y);
    }

    private static float Percentile(float[] values, double q)
    {
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        return sorted[(int)Math.Clamp(Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
    }

    internal static float[] Binomial(float[] v, int w, int h)
    {
        var horizontal = new float[v.Length];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
            horizontal[y * w + x] = (v[y * w + Math.Max(x - 1, 0)] + 2 * v[y * w + x] + v[y * w + Math.Min(x + 1, w - 1)]) / 4;
        var result = new float[v.Length];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
            result[y * w + x] = (horizontal[Math.Max(y - 1, 0) * w + x] + 2 * horizontal[y * w + x] + horizontal[Math.Min(y + 1, h - 1) * w + x]) / 4;
        return result;
    }

    /// <summary>The rows of the line: around the darkest row, those holding at least 45 % of its ink.</summary>
    public (int Top, int Bottom) Band()
    {
        var rows = new float[Height];
        for (var y = 0; y < Height; y++)
        {
            var sum = 0f;
            for (var x = 0; x < Width; x++) sum += _dark[y * Width + x];
            rows[y] = sum;
        }
        var peak = 0;
        for (var y = 1; y < Height; y++) if (rows[y] > rows[peak]) peak = y;
        var cut = 0.45f * rows[peak];
        int top = peak, bottom = peak + 1;
        while (top > 0 && rows[top - 1] >= cut) top--;
        while (bottom < Height && rows[bottom] >= cut) bottom++;
        return (top, bottom);
    }

    /// <summary>The length of the window's ink after its mean is taken off (the denominator of a Pearson correlation).</summary>
    public double WindowNorm(int x, int y, int width, int height)
    {
        var stride = Width + 1;
        double Box(double[] s) => s[(y + height) * stride + x + width] - s[y * stride + x + width] - s[(y + height) * stride + x] + s[y * stride + x];
        var n = width * height;
        var sum = Box(_sum);
        return Math.Sqrt(Math.Max(Box(_squares) - sum * sum / n, 0));
    }

    /// <summary>
    /// Dot products of a zero-mean template with the ink in the window at each x in [0, positions), rows from y: each
    /// template pixel adds its weight times a shifted row of ink to all positions at once (vectorised).
    /// </summary>
    public float[] CrossCorrelate(float[] template, int y, int width, int height, int positions)
    {
        var dots = new float[positions];
        var lanes = Vector<float>.Count;
        for (var r = 0; r < height; r++)
        {
            var row = _dark.AsSpan((y + r) * Width, Width);
            for (var c = 0; c < width; c++)
            {
                var weight = template[r * width + c];
                var source = row.Slice(c, positions);
                var x = 0;
                var w = new Vector<float>(weight);
                for (; x <= positions - lanes; x += lanes)
                    (new Vector<float>(dots.AsSpan(x)) + w * new Vector<float>(source[x..])).CopyTo(dots.AsSpan(x));
                for (; x < positions; x++) dots[x] += weight * source[x];
            }
        }
        return dots;
    }
}
