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

    private readonly float[] _unit;
    private readonly bool _flat;

    private GlyphBitmap(float[] coverage, float aspect)
    {
        Coverage = coverage;
        Aspect = aspect;
        _unit = UnitVector.From(coverage);
        _flat = Array.TrueForAll(_unit, v => v == 0);
    }

    /// <summary>From per-pixel ink darkness (0 paper .. 1 ink) of exactly the glyph's box.</summary>
    public static GlyphBitmap FromDarkness(float[] darkness, int width, int height)
    {
        var coverage = new float[GridWidth * GridHeight];
        var scale = (double)GridHeight / height;
        var scaledWidth = Math.Min(GridWidth, Math.Max(1, (int)Math.Round(width * scale)));
        var offsetX = (GridWidth - scaledWidth) / 2;
        var scaled = AreaResampling.Resample(darkness, width, height, scaledWidth, GridHeight);
        for (var gy = 0; gy < GridHeight; gy++)
            Array.Copy(scaled, gy * scaledWidth, coverage, gy * GridWidth + offsetX, scaledWidth);
        return new GlyphBitmap(coverage, (float)width / height);
    }

    /// <summary>
    /// Whether this glyph is nearer <paramref name="a"/> than <paramref name="b"/> over the cells where the two differ,
    /// each cell weighted by how much they differ there.
    /// </summary>
    public bool CloserWhereTheyDiffer(GlyphBitmap a, GlyphBitmap b)
    {
        double toA = 0, toB = 0;
        for (var i = 0; i < Coverage.Length; i++)
        {
            var weight = Math.Abs(a.Coverage[i] - b.Coverage[i]);
            toA += weight * Math.Abs(Coverage[i] - a.Coverage[i]);
            toB += weight * Math.Abs(Coverage[i] - b.Coverage[i]);
        }
        return toA < toB;
    }

    /// <summary>Pearson correlation of the two coverage grids, lowered when their aspect ratios disagree.</summary>
    public double Similarity(GlyphBitmap other)
    {
        if (_flat || other._flat) return 0;
        var correlation = UnitVector.Dot(_unit, other._unit);
        var aspectPenalty = Math.Abs(Math.Log(Math.Max(Aspect, 0.05f) / Math.Max(other.Aspect, 0.05f)));
        return correlation - 0.5 * aspectPenalty;
    }
}
