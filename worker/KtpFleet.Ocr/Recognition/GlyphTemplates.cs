using System.Text.Json;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// One font's templates: <see cref="Chars"/>[i] is drawn by <see cref="Glyphs"/>[i] (as compared with segmented
/// glyphs) and by <see cref="Rasters"/>[i] (as rendered, for matching at a line's own scale).
/// </summary>
internal sealed record GlyphFont(string Name, string Chars, GlyphBitmap[] Glyphs, GlyphRaster[] Rasters);

/// <summary>A template's darkness (0 paper .. 1 ink) over its tight box, as rendered.</summary>
internal sealed record GlyphRaster(float[] Darkness, int Width, int Height)
{
    /// <summary>Area-resampled to <paramref name="height"/> rows, aspect kept.</summary>
    public (float[] Pixels, int Width) Scaled(int height)
    {
        var width = Math.Max(1, (int)Math.Round(Width * (double)height / Height));
        return (AreaResampling.Resample(Darkness, Width, Height, width, height), width);
    }
}

/// <summary>
/// Glyph templates rendered from the real fonts by scripts/gen-nik-glyphs.sh and embedded from Data/: the NIK digits
/// (OCR-A on most e-KTPs, Arial regular/bold on some runs) and the blood-type letters.
/// </summary>
internal sealed class GlyphTemplates
{
    public IReadOnlyList<GlyphFont> Fonts { get; }

    private GlyphTemplates(IReadOnlyList<GlyphFont> fonts) => Fonts = fonts;

    private static readonly Lazy<GlyphTemplates> NikDigits = new(() => Load("nik-glyphs.json"));
    private static readonly Lazy<GlyphTemplates> BloodLetters = new(() => Load("blood-glyphs.json"));
    public static GlyphTemplates Nik => NikDigits.Value;
    public static GlyphTemplates Blood => BloodLetters.Value;

    private static GlyphTemplates Load(string file)
    {
        using var stream = typeof(GlyphTemplates).Assembly.GetManifestResourceStream("KtpFleet.Ocr.Data." + file)
            ?? throw new InvalidOperationException($"embedded resource {file} is missing");
        using var doc = JsonDocument.Parse(stream);
        var fonts = new List<GlyphFont>();
        foreach (var font in doc.RootElement.GetProperty("fonts").EnumerateObject())
        {
            var chars = "";
            var glyphs = new List<GlyphBitmap>();
            var rasters = new List<GlyphRaster>();
            foreach (var glyph in font.Value.EnumerateArray())
            {
                var width = glyph.GetProperty("width").GetInt32();
                var height = glyph.GetProperty("height").GetInt32();
                var gray = Convert.FromBase64String(glyph.GetProperty("gray").GetString()!);
                var darkness = new float[width * height];
                for (var i = 0; i < darkness.Length; i++) darkness[i] = (255 - gray[i]) / 255f;
                chars += glyph.GetProperty("char").GetString();
                glyphs.Add(GlyphBitmap.FromDarkness(darkness, width, height));
                rasters.Add(new GlyphRaster(darkness, width, height));
            }
            fonts.Add(new GlyphFont(font.Name, chars, [.. glyphs], [.. rasters]));
        }
        return new GlyphTemplates(fonts);
    }

    /// <summary>
    /// The best-matching character of one font, its score and its lead over the runner-up. A near tie (a lead
    /// under <see cref="TieMargin"/>) is settled where the two templates differ (<see cref="GlyphBitmap.CloserWhereTheyDiffer"/>):
    /// a blurred 5 and 6, or 3 and 8, correlate almost equally over the whole glyph and differ only in a stroke on the
    /// left. The lead stays as small as it was, so the reading stays unsure.
    /// </summary>
    public static GlyphMatch Classify(GlyphBitmap glyph, GlyphFont font)
    {
        double best = double.MinValue, second = double.MinValue;
        int index = 0, runner = -1;
        for (var i = 0; i < font.Glyphs.Length; i++)
        {
            var s = glyph.Similarity(font.Glyphs[i]);
            if (s > best)
            {
                second = best;
                runner = index;
                best = s;
                index = i;
            }
            else if (s > second)
            {
                second = s;
                runner = i;
            }
        }
        if (runner >= 0 && runner != index && best - second < TieMargin
            && glyph.CloserWhereTheyDiffer(font.Glyphs[runner], font.Glyphs[index]))
            return new GlyphMatch(font.Chars[runner], second, best - second);
        return new GlyphMatch(font.Chars[index], best, best - second);
    }

    /// <summary>A lead under the NIK's decisive glyph lead (<see cref="FieldRecognizer.GlyphConfidence(double, double)"/>).</summary>
    public const double TieMargin = FieldRecognizer.DecisiveGlyphLead;

    /// <summary>
    /// The best-matching character over several fonts, its score and its lead over the best other character (the
    /// same character in another font is no rival).
    /// </summary>
    public static GlyphMatch ClassifyAcross(GlyphBitmap glyph, IReadOnlyList<GlyphFont> fonts)
    {
        var best = new Dictionary<char, double>();
        foreach (var font in fonts)
        for (var i = 0; i < font.Glyphs.Length; i++)
        {
            var s = glyph.Similarity(font.Glyphs[i]);
            if (!best.TryGetValue(font.Chars[i], out var b) || s > b) best[font.Chars[i]] = s;
        }
        var ranked = best.OrderByDescending(kv => kv.Value).ToList();
        var second = ranked.Count > 1 ? ranked[1].Value : double.MinValue;
        return new GlyphMatch(ranked[0].Key, ranked[0].Value, ranked[0].Value - second);
    }

    /// <summary>A card glyph cut from the mask, re-levelled inside its box, as a comparable bitmap.</summary>
    public static GlyphBitmap Extract(InkMask mask, InkComponent box)
    {
        var pixels = new float[box.Width * box.Height];
        for (var y = 0; y < box.Height; y++)
        for (var x = 0; x < box.Width; x++)
            pixels[y * box.Width + x] = mask.Darkness[(box.Y + y) * mask.Width + box.X + x];
        return FromBox(pixels, box.Width, box.Height);
    }

    /// <summary>
    /// A glyph's box of darkness, re-levelled inside the box: a background tint or a light guilloche line across the
    /// glyph otherwise adds ink where the template has none.
    /// </summary>
    public static GlyphBitmap FromBox(float[] pixels, int width, int height)
    {
        var sorted = (float[])pixels.Clone();
        Array.Sort(sorted);
        var paper = sorted[sorted.Length / 4];
        var ink = Math.Max(sorted[^1] - paper, 0.05f);
        for (var i = 0; i < pixels.Length; i++) pixels[i] = Math.Clamp((pixels[i] - paper) / ink, 0, 1);
        return GlyphBitmap.FromDarkness(pixels, width, height);
    }
}

internal readonly record struct GlyphMatch(char Char, double Score, double Margin);
