using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Layout;

/// <summary>
/// Finds text lines in a region of the canonical card from the ink itself: connected components of an Otsu mask,
/// projected onto rows. Working from what is printed, wrapped values, shifted print runs and missing rows come out
/// as they are rather than as a template expects.
/// </summary>
public static class TextLineFinder
{
    /// <summary>Width over height of a blurred word fused into one blob (a 7-letter word is ~5).</summary>
    private const int MaxFusedWordAspect = 8;

    /// <param name="minGlyphsPerRow">
    /// Glyphs a row must have side by side: two, so that one stray blob cannot bridge the gap between two rows; one
    /// only where a single line is looked for (a wrapped house number fused by blur into one blob).
    /// </param>
    public static IReadOnlyList<TextLine> Find(GrayImageView image, PixelRect region, int maxGlyphHeight = 60, int minGlyphsPerRow = 2)
    {
        var mask = InkMask.FromRegion(image, region);
        if (mask.Width == 0) return [];
        // A blob wider than a third of the region is a rule or a frame edge, unless it is letter-shaped for its height:
        // blur fuses a word into one blob, which in a narrow region (under the photo) is as wide as that.
        bool GlyphSized(InkComponent c) =>
            c.Height <= maxGlyphHeight && (c.Width <= mask.Width / 3 || c.Width <= MaxFusedWordAspect * c.Height) && c.Area >= 4;
        // Rows are cut on the dark core only (sensor noise and background texture are lighter than ink); a row's
        // glyphs come from the full mask so faint punctuation stays with its value.
        var rowMakers = ConnectedComponents.Find(mask.Core()).Where(GlyphSized).ToList();
        var components = ConnectedComponents.Find(mask).Where(GlyphSized).ToList();
        var profile = new int[mask.Height];
        foreach (var c in rowMakers.Where(c => c.Height >= 7))
            for (var y = c.Y; y < c.Bottom; y++) profile[y] += 1;
        var lines = new List<TextLine>();
        var y0 = -1;
        for (var y = 0; y <= mask.Height; y++)
        {
            var inText = y < mask.Height && profile[y] >= minGlyphsPerRow;
            if (inText && y0 < 0) y0 = y;
            if (inText || y0 < 0) continue;
            var bandTop = y0;
            y0 = -1;
            var bandEnd = y;
            bool InBand(InkComponent c) => c.CenterY >= bandTop - 2 && c.CenterY < bandEnd + 2 && c.Bottom > bandTop && c.Y < bandEnd;
            var tall = rowMakers.Where(c => c.Height >= 7 && InBand(c)).ToList();
            if (tall.Count == 0) continue;
            var top = tall.Min(c => c.Y);
            var bottom = tall.Max(c => c.Bottom);
            if (bottom - top < 9) continue;
            var band = components.Where(InBand).ToList();
            if (band.Count == 0) band = tall;
            var left = band.Min(c => c.X);
            var glyphs = band.OrderBy(c => c.X)
                .Select(c => new PixelRect(mask.OriginX + c.X, mask.OriginY + c.Y, c.Width, c.Height))
                .ToList();
            lines.Add(new TextLine(new PixelRect(mask.OriginX + left, mask.OriginY + top, band.Max(c => c.Right) - left, bottom - top), glyphs));
        }
        return lines;
    }
}
