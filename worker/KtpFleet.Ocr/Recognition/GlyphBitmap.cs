namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// A glyph reduced to a fixed grid of ink coverage (0..1), aspect kept: the form in which card glyphs and font
/// templates are compared. Area-averaging makes it tolerant of stroke width and a pixel of misalignment.
/// </summary>
internal sealed class GlyphBitmap
{
    public const int GridWidth = 24;
    public const int GridHeight = 32;

    public float[] Coverage { get; }
    /// <summary>Ink width ÷ height of the glyph's box: tells a narrow '1' from a round '0' beyond the shape.</summary>
    public float Aspect { get; }

    private GlyphBitmap(float[] coverage, float aspect)
    {
        Coverage = coverage;
        Aspect = aspect;
    }

    /// <summary>From per-pixel ink darkness (0 paper .. 1 ink) of exactly the glyph's box.</summary>
    public static GlyphBitmap FromDarkness(float[] darkness, int width, int height)
    {
        var coverage = new float[GridWidth * GridHeight];
        var scale = (double)GridHeight / height;
        var scaledWidth = Math.Min(GridWidth, Math.Max(1, (int)Math.Round(width * scale)));
        var offsetX = (GridWidth - scaledWidth) / 2;
        // Each grid cell averages the source pixels it covers (box filter), so thin strokes still register.
        for (var gy = 0; gy < GridHeight; gy++)
        {
            var y0 = gy * height / GridHeight;
            var y1 = Math.Max(y0 + 1, (gy + 1) * height / GridHeight);
            for (var gx = 0; gx < scaledWidth; gx++)
            {
                var x0 = gx * width / scaledWidth;
                var x1 = Math.Max(x0 + 1, (gx + 1) * width / scaledWidth);
                var ink = 0f;
                var total = 0;
                for (var y = y0; y < y1; y++)
                for (var x = x0; x < x1; x++)
                {
                    total++;
                    ink += darkness[y * width + x];
                }
                coverage[gy * GridWidth + gx + offsetX] = ink / total;
            }
        }
        return new GlyphBitmap(coverage, (float)width / height);
    }

    /// <summary>Pearson correlation of the two coverage grids, lowered when their aspect ratios disagree.</summary>
    public double Similarity(GlyphBitmap other)
    {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        var n = Coverage.Length;
        for (var i = 0; i < n; i++)
        {
            double a = Coverage[i], b = other.Coverage[i];
            sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b;
        }
        var cov = sab - sa * sb / n;
        var va = saa - sa * sa / n;
        var vb = sbb - sb * sb / n;
        if (va <= 1e-9 || vb <= 1e-9) return 0;
        var correlation = cov / Math.Sqrt(va * vb);
        var aspectPenalty = Math.Abs(Math.Log(Math.Max(Aspect, 0.05f) / Math.Max(other.Aspect, 0.05f)));
        return correlation - 0.5 * aspectPenalty;
    }
}
