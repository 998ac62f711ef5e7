using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Layout;

/// <summary>
/// How far the text rows of a rectified card lean: the angle at which the letters' tops and bottoms, projected
/// onto one side, line up best. A card outline found a little off (a side lost in a shadow, a worn corner) leaves the
/// text tilted, and two degrees over the body's width is a row pitch: rows found by projection then merge.
/// </summary>
public static class TextSkew
{
    /// <summary>Angles searched either way, in degrees: a larger tilt is a wrong outline, not a lean.</summary>
    public const double MaxDegrees = 4;
    private const double Step = 0.1;

    /// <summary>
    /// A lean worth turning the card for, in degrees. On 200 training photo cards (seed 100) levelling from 1° on
    /// took 13 fields right and none wrong (a card rejected for merged rows read again); from 0.5° on it also took
    /// 3 wrong: turning resamples the print, and a small lean does not merge rows.
    /// </summary>
    public const double WorthLevelling = 1.0;

    /// <summary>The lean of the text on a rectified card, measured over all of it but its edges (which may be background).</summary>
    public static double OfCard(GrayImageView card) =>
        Measure(card, new PixelRect((int)(card.Width * 0.02), (int)(card.Height * 0.03), (int)(card.Width * 0.96), (int)(card.Height * 0.94)));

    /// <summary>
    /// The lean of the text in <paramref name="region"/>, degrees clockwise (rows going down to the right), or 0
    /// when the region holds too few letters to tell.
    /// </summary>
    /// <remarks>
    /// Letters, not pixels: dense noise (a shadowed corner amplified by flattening the light) and the frame's edge
    /// pile up as pixels along the card's own axes and outvote the text; they are not letter-sized blobs.
    /// </remarks>
    public static double Measure(GrayImageView image, PixelRect region)
    {
        var mask = InkMask.FromRegion(image, region).Core();
        var letters = ConnectedComponents.Find(mask)
            .Where(c => c.Height is >= 5 and <= 40 && c.Width <= 8 * c.Height && c.Area >= 6)
            .ToList();
        if (letters.Count < MinLetters) return 0;
        var centre = mask.Width / 2.0;
        var (best, bestScore) = (0.0, Alignment(letters, 0, centre, mask.Height));
        for (var degrees = -MaxDegrees; degrees <= MaxDegrees + 1e-9; degrees += Step)
        {
            var score = Alignment(letters, degrees, centre, mask.Height);
            if (score > bestScore) (best, bestScore) = (Math.Round(degrees, 1), score);
        }
        return best;
    }

    /// <summary>Fewer letters than a few rows' worth tell no lean.</summary>
    private const int MinLetters = 20;

    /// <summary>How sharply the letters' tops and bottoms, seen along rows leaning by <paramref name="degrees"/>, pile up.</summary>
    private static double Alignment(List<InkComponent> letters, double degrees, double centre, int height)
    {
        var slope = Math.Tan(degrees * Math.PI / 180);
        var margin = (int)Math.Ceiling(Math.Abs(slope) * centre) + 1;
        var bins = new int[height + 2 * margin + 1];
        foreach (var c in letters)
        {
            var shift = slope * (c.X + c.Width / 2.0 - centre);
            bins[(int)Math.Round(c.Y - shift) + margin]++;
            bins[(int)Math.Round(c.Bottom - shift) + margin]++;
        }
        double score = 0;
        foreach (var n in bins) score += (double)n * n;
        return score;
    }
}
