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

    /// <param name="region">where to look: the value's box with some paper around it</param>
    /// <param name="row">the text row the value is on: its height tells a "-" or colon dots from letters, its top where a "-" sits</param>
    public BloodTypeReading? Read(GrayImageView image, PixelRect region, PixelRect row)
    {
        var mask = InkMask.FromRegion(image, region);
        if (mask.Width == 0) return null;
        var core = mask.Core();
        var lineHeight = row.Height;
        var small = lineHeight * 0.4;
        var blobs = ConnectedComponents.Find(core).Where(c => c.Area >= 4).ToList();
        // A letter-tall blob that fits no template at all is no letter (a colon's dots fused by blur, a stain): on
        // 200 training photo cards such blobs all fit worse than -0.15 and read "+" where the value was "-" or lost.
        var tall = blobs.Where(c => c.Height >= small).ToList();
        var glyphs = tall.Select(c => (Blob: c, Bitmap: GlyphTemplates.Extract(mask, c))).Where(g => FitsSomeGlyph(g.Bitmap)).ToList();
        var letters = glyphs.Select(g => g.Blob).ToList();
        if (letters.Count == 0)
        {
            // No letter: a lone dash means no blood type recorded. Blurred, a dash is as square as a colon's dot, but
            // it sits between the colon's two dots, not level with either: a lone dark mark at that height is one,
            // flat or not. The colon's dots themselves, one above the other, may lie in the region too (a faint
            // colon the row lost) and are no dash.
            var marks = blobs.Where(c => c.Height < small).ToList();
            marks = marks.Where(c => !marks.Any(o => o != c && o.Box.IsStackedWith(c.Box))).ToList();
            bool Flat(InkComponent c) => c.Width >= Math.Max(4, c.Height * 1.8);
            bool AtHeight(InkComponent c) => IsAtDashHeight(mask.OriginY + c.CenterY, row);
            var dash = marks.FirstOrDefault(c => Flat(c) && AtHeight(c)) ?? marks.FirstOrDefault(AtHeight);
            // Beside a letter-tall blob that fits no glyph (a faded letter, perhaps) no dash is certain.
            if (dash is not null && IsLoneMark(dash, marks) && mask.InkLevel <= DarkestFaintPrint && tall.Count == 0) return new BloodTypeReading("-", 1, 1);
            // A faint mark, one among specks, or a flat one off a dash's height (a flat speck can lie anywhere) is a
            // less certain dash: under the default auto-accept bar.
            return marks.Any(c => Flat(c) || AtHeight(c)) ? new BloodTypeReading("-", 0.6, 0.05) : null;
        }
        if (letters.Count > 3) return null;

        var bitmaps = glyphs.Select(g => g.Bitmap).ToList();
        List<GlyphMatch>? best = null;
        foreach (var font in _templates.Fonts)
        {
            var matches = bitmaps.Select(b => GlyphTemplates.Classify(b, font)).ToList();
            if (best is null || matches.Sum(m => m.Score) > best.Sum(m => m.Score)) best = matches;
        }
        var text = string.Concat(best!.Select(m => m.Char));
        if (HasRhesusDash(mask, blobs, letters[^1], row, small)) text += "-";
        return new BloodTypeReading(text, best!.Min(m => m.Score), best!.Min(m => m.Margin));
    }

    /// <summary>
    /// A "-" after the letters (Rhesus negative): flat, beside the last letter. Printed thinner than the letters, it
    /// is often too light for their dark core once blurred (3 of 3 <c>A-</c>, <c>B-</c>, <c>AB-</c> lost on 200
    /// training photo cards); in the plain mask it still shows, within a letter's width of the last letter and at a
    /// hyphen's height, which noise specks seldom are as flat as.
    /// </summary>
    /// <param name="small">the height under which a blob is no letter (the reader's measure of the row)</param>
    private static bool HasRhesusDash(InkMask mask, IReadOnlyList<InkComponent> core, InkComponent last, PixelRect row, double small)
    {
        if (core.Any(c => c.X > last.Right && c.Height < small && c.Width >= c.Height * 1.8)) return true;
        var after = ConnectedComponents.Find(mask).Where(c => c.X > last.Right && c.Area >= 4).ToList();
        // The one mark after the letters: noise leaves several.
        return after.Count == 1 && after[0] is var dash && dash.X - last.Right <= row.Height * 0.6 && dash.Height < small
            && dash.Width >= dash.Height * FaintDashFlatness && IsAtDashHeight(mask.OriginY + dash.CenterY, row);
    }

    /// <summary>Width over height of a faint dash, at least: 4 × 3 px is what is left of one at ~9-px capitals.</summary>
    private const double FaintDashFlatness = 1.2;

    /// <summary>A correlation under this with every template of every font: not a glyph of the blood-type alphabet.</summary>
    internal const double NoGlyphFit = 0.1;

    private bool FitsSomeGlyph(GlyphBitmap bitmap) => _templates.Fonts.Any(font => GlyphTemplates.Classify(bitmap, font).Score >= NoGlyphFit);

    /// <summary>
    /// The lightest ink level (0 black .. 255 paper) a certain dash may have. The card's contrast is stretched so
    /// print reaches near black; on 200 training photo and 200 hard captures every lone dash read right had its ink
    /// at 200 or darker, and the two lone marks taken for a dash where a letter had faded away were at 211 and 221.
    /// </summary>
    internal const double DarkestFaintPrint = 205;

    /// <summary>
    /// A dash is certain only as the one mark there (other specks under a third of its ink): a letter broken up by
    /// noise leaves several fragments, one of which can be flat and at a dash's height (4 confident errors on 200
    /// generated hard captures).
    /// </summary>
    internal static bool IsLoneMark(InkComponent dash, IReadOnlyList<InkComponent> marks) =>
        marks.All(c => c == dash || c.Area * 3 < dash.Area);

    /// <summary>
    /// A small blob centred where a hyphen is printed: in Arial ~0.62 of the cap height down from the row's top; a
    /// colon's dots are centred at ~0.35 and ~0.9.
    /// </summary>
    public static bool IsAtDashHeight(double centerY, PixelRect row)
    {
        var relative = (centerY - row.Y) / row.Height;
        return relative is >= 0.48 and <= 0.78;
    }
}
