namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Stretches a text line's contrast locally along its length: each pixel is mapped between the darkest and the
/// lightest value found within about one line height to either side. A line half in glare, or a light value next to
/// a bold label, then has one ink level, so a single threshold keeps every glyph whole instead of breaking the light
/// ones and fusing the dark ones. Columns whose neighbourhood has almost no contrast (blank paper) turn white.
/// </summary>
internal static class LineLevelling
{
    /// <summary>Below this spread between darkest and lightest (gray levels), a neighbourhood is taken as blank.</summary>
    public const int MinContrast = 40;

    public static void Apply(byte[] pixels, int width, int height)
    {
        if (width == 0 || height == 0) return;
        var columnMin = new int[width];
        var columnMax = new int[width];
        for (var x = 0; x < width; x++)
        {
            int lo = 255, hi = 0;
            for (var y = 0; y < height; y++)
            {
                var v = pixels[y * width + x];
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
            columnMin[x] = lo;
            columnMax[x] = hi;
        }
        // One line height either side spans a glyph and its neighbour's stroke at any digit pitch.
        var reach = Math.Max(height, 4);
        for (var x = 0; x < width; x++)
        {
            int lo = 255, hi = 0;
            for (var k = Math.Max(0, x - reach); k <= Math.Min(width - 1, x + reach); k++)
            {
                lo = Math.Min(lo, columnMin[k]);
                hi = Math.Max(hi, columnMax[k]);
            }
            var spread = hi - lo;
            for (var y = 0; y < height; y++)
            {
                ref var v = ref pixels[y * width + x];
                v = spread < MinContrast ? (byte)255 : (byte)Math.Clamp((v - lo) * 255 / spread, 0, 255);
            }
        }
    }
}
