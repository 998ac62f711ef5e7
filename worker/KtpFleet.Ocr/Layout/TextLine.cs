using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Layout;

/// <summary>A horizontal band of text found on the card, with the boxes of its ink blobs (glyphs), left to right.</summary>
public sealed record TextLine(PixelRect Box, IReadOnlyList<PixelRect> Glyphs)
{
    public int Top => Box.Y;
    public int Bottom => Box.Bottom;
    public double CenterY => Box.Y + Box.Height / 2.0;

    /// <summary>Runs of glyphs separated by gaps of at least <paramref name="gap"/> px: label, value, second label...</summary>
    public IReadOnlyList<PixelRect> Segments(int gap)
    {
        var segments = new List<PixelRect>();
        foreach (var g in Glyphs)
        {
            if (segments.Count > 0 && g.X - segments[^1].Right < gap)
            {
                var last = segments[^1];
                var top = Math.Min(last.Y, g.Y);
                segments[^1] = new PixelRect(last.X, top, Math.Max(last.Right, g.Right) - last.X, Math.Max(last.Bottom, g.Bottom) - top);
            }
            else
            {
                segments.Add(g);
            }
        }
        return segments;
    }

    /// <summary>
    /// The part of the line from <paramref name="fromX"/> to <paramref name="toX"/>, tight around its ink and ending at
    /// the first gap wider than <paramref name="maxGap"/> (what lies beyond is another item, or a stray mark).
    /// A blob that straddles <paramref name="fromX"/> (a colon fused to the first letter) is clipped, not dropped.
    /// </summary>
    public PixelRect? Span(int fromX, int toX, int maxGap)
    {
        var small = Box.Height * 0.4;
        var inside = Glyphs.Where(g => g.Right > fromX + 2 && g.X < toX && g.Right <= toX + 2).OrderBy(g => g.X).ToList();
        var first = inside.FindIndex(g => g.Height >= small);
        if (first < 0) return null;
        var right = inside[first].Right;
        foreach (var g in inside.Skip(first + 1))
        {
            var gap = g.X - right;
            if (gap > maxGap) break;
            // Punctuation (a period, a comma) belongs to the value only when it touches it; further out, small blobs
            // are the card's background texture.
            if (g.Height < small && gap > small) continue;
            right = Math.Max(right, g.Right);
        }
        inside = inside.Skip(first).ToList();
        var x = Math.Max(fromX, inside[0].X);
        return right - x < 3 ? null : new PixelRect(x, Box.Y, right - x, Box.Height);
    }
}
