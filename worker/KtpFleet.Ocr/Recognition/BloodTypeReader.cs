using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Recognition;

/// <summary>What the blood-type matcher read: e.g. "AB+", "O" or "-", with the weakest glyph's score and margin.</summary>
public sealed record BloodTypeReading(string Text, double MinScore, double MinMargin);

/// <summary>
/// Reads the Gol. Darah value by glyph matching. It is one to three characters from {A, B, O, +} or a lone "-":
/// Tesseract's LSTM reads such isolated characters poorly (a lone "O" often comes back empty), a closed set of
/// templates does not.
/// </summary>
public sealed class BloodTypeReader
{
    private readonly GlyphTemplates _templates;

    public BloodTypeReader() : this(GlyphTemplates.Blood) { }

    internal BloodTypeReader(GlyphTemplates templates) => _templates = templates;

    /// <param name="lineHeight">height of the text row: tells a "-" or colon dots from letters</param>
    public BloodTypeReading? Read(GrayImageView image, PixelRect region, int lineHeight)
    {
        var mask = InkMask.FromRegion(image, region);
        if (mask.Width == 0) return null;
        var core = mask.Core();
        var small = lineHeight * 0.4;
        var blobs = ConnectedComponents.Find(core).Where(c => c.Area >= 4).ToList();
        var letters = blobs.Where(c => c.Height >= small).ToList();
        if (letters.Count == 0)
        {
            // No letter: a lone dash (wide and flat) means no blood type recorded; colon dots are not a dash.
            var dash = blobs.Any(c => c.Height < small && c.Width >= Math.Max(4, c.Height * 1.8));
            return dash ? new BloodTypeReading("-", 1, 1) : null;
        }
        if (letters.Count > 3) return null;

        var bitmaps = letters.Select(c => GlyphTemplates.Extract(mask, c)).ToList();
        List<GlyphMatch>? best = null;
        foreach (var font in _templates.Fonts)
        {
            var matches = bitmaps.Select(b => GlyphTemplates.Classify(b, font)).ToList();
            if (best is null || matches.Sum(m => m.Score) > best.Sum(m => m.Score)) best = matches;
        }
        var text = string.Concat(best!.Select(m => m.Char));
        // A "-" after the letters (Rhesus negative) is flat and sits at mid-height beside the last letter.
        var last = letters[^1];
        if (blobs.Any(c => c.X > last.Right && c.Height < small && c.Width >= c.Height * 1.8)) text += "-";
        return new BloodTypeReading(text, best!.Min(m => m.Score), best!.Min(m => m.Margin));
    }
}
