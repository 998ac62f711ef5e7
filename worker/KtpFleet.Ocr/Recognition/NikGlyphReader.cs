using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Recognition;

/// <summary>What the glyph matcher read from a NIK line: one digit per glyph with its match score and margin.</summary>
public sealed record NikGlyphReading(string Digits, IReadOnlyList<double> Scores, IReadOnlyList<double> Margins, string Font, PixelRect Box)
{
    /// <summary>Read as cells of one pitch (<see cref="NikCellReader"/>) rather than from segmented glyphs: scores are correlations on another scale.</summary>
    public bool FromCells { get; init; }

    /// <summary>
    /// Every segmented glyph fits its template well and beats the runner-up clearly: where the glyph confidence
    /// (<see cref="FieldRecognizer.GlyphConfidence(double, double)"/>) is full.
    /// </summary>
    public bool Decisive => !FromCells
        && MinScore >= FieldRecognizer.GlyphFitFloor + FieldRecognizer.GlyphFitRange
        && MinMargin >= FieldRecognizer.DecisiveGlyphLead;

    /// <summary>The weakest glyph decides: one wrong digit makes the whole NIK wrong.</summary>
    public double MinScore => Scores.Count == 0 ? 0 : Scores.Min();
    public double MinMargin => Margins.Count == 0 ? 0 : Margins.Min();
}

/// <summary>
/// Reads the 16 NIK digits by segmenting glyphs and matching each against digit templates of the fonts NIKs are
/// printed in. OCR-A is a machine-reading font whose digits stock LSTM models confuse (6→b, 9→4, 8→0); whole-glyph
/// matching against the font itself does not, and the line is monospaced, which makes segmentation reliable.
/// </summary>
public sealed class NikGlyphReader
{
    public const int NikLength = 16;
    private readonly GlyphTemplates _templates;
    private readonly NikCellReader _cells;

    public NikGlyphReader() : this(GlyphTemplates.Nik) { }

    internal NikGlyphReader(GlyphTemplates templates)
    {
        _templates = templates;
        _cells = new NikCellReader(templates);
    }

    /// <summary>
    /// Reads the line in <paramref name="region"/> as sixteen cells of one pitch, without segmenting: the reader for
    /// lines too noisy to segment (<see cref="NikCellReader"/>).
    /// </summary>
    public NikGlyphReading? ReadCells(GrayImageView image, PixelRect region, bool refine = true, string? font = null) =>
        _cells.Read(image, region, refine, font);

    /// <summary>Reads the digits in <paramref name="region"/>; null when it does not hold a line of 16 glyphs.</summary>
    /// <remarks>
    /// When the line does not segment into 16 glyphs as it is, it is segmented once more after levelling its print
    /// along its length (<see cref="LineLevelling"/>): digits lighter than their neighbours or than the label,
    /// from glare or uneven print, break up or fuse under a single threshold.
    /// </remarks>
    public NikGlyphReading? Read(GrayImageView image, PixelRect region) =>
        Read(image, region, levelAlongLine: false) ?? Read(image, region, levelAlongLine: true);

    /// <summary>
    /// Reads a region known to hold the 16 digits and nothing else (the line right of the colon). The pitch is then
    /// the run's length over 16, which splits fused digits where too few stand apart to measure the pitch from;
    /// the run is levelled along its length when it does not segment as it is.
    /// </summary>
    /// <remarks>
    /// Levelled, the whole ink mask is segmented rather than its dark core: levelling already made the faint digits
    /// as dark as the others, and the core would cut them up again. Of the segmentations that give 16 glyphs, the
    /// one whose glyphs fit their templates best wins.
    /// </remarks>
    public NikGlyphReading? ReadDigitRun(GrayImageView image, PixelRect region) =>
        new[]
            {
                Read(image, region, levelAlongLine: false, digitsOnly: true),
                Read(image, region, levelAlongLine: true, digitsOnly: true),
                Read(image, region, levelAlongLine: true, digitsOnly: true, darkCore: false),
            }
            .OfType<NikGlyphReading>()
            .MaxBy(r => r.Scores.Average());

    internal NikGlyphReading? Read(GrayImageView image, PixelRect region, bool levelAlongLine, bool digitsOnly = false, bool darkCore = true)
    {
        var mask = InkMask.FromRegion(image, region, levelAlongLine);
        if (mask.Width == 0) return null;
        var glyphs = SegmentGlyphs(darkCore ? mask.Core() : mask, digitsOnly ? NikLength : null);
        if (glyphs.Count < NikLength || (digitsOnly && glyphs.Count > NikLength + 1)) return null;

        var bitmaps = glyphs.Select(g => GlyphTemplates.Extract(mask, g)).ToList();
        // The font is a property of the whole line: pick the one whose templates fit all glyphs best.
        (GlyphFont Font, int Start, List<GlyphMatch> Matches, double Total)? best = null;
        foreach (var font in _templates.Fonts)
        {
            var matches = bitmaps.Select(b => GlyphTemplates.Classify(b, font)).ToList();
            var start = BestWindow(matches);
            var total = matches.Skip(start).Take(NikLength).Sum(m => m.Score);
            if (best is null || total > best.Value.Total) best = (font, start, matches, total);
        }
        var (chosenFont, first, allMatches, _) = best!.Value;
        var line = glyphs.GetRange(first, NikLength);
        var matched = allMatches.GetRange(first, NikLength);
        var top = line.Min(g => g.Y);
        var box = new PixelRect(mask.OriginX + line[0].X, mask.OriginY + top, line[^1].Right - line[0].X, line.Max(g => g.Bottom) - top);
        return new NikGlyphReading(
            string.Concat(matched.Select(m => m.Char)),
            matched.Select(m => m.Score).ToList(),
            matched.Select(m => m.Margin).ToList(),
            chosenFont.Name,
            box);
    }

    /// <summary>Start of the 16 consecutive glyphs that match best (drops stray marks or a label remnant).</summary>
    private static int BestWindow(List<GlyphMatch> matches)
    {
        var bestStart = 0;
        var bestSum = double.MinValue;
        for (var start = 0; start + NikLength <= matches.Count; start++)
        {
            var sum = 0.0;
            for (var i = start; i < start + NikLength; i++) sum += matches[i].Score;
            if (sum > bestSum)
            {
                bestSum = sum;
                bestStart = start;
            }
        }
        return bestStart;
    }

    /// <summary>
    /// Digit-sized components of the dominant text line, left to right: pieces of one broken glyph merged, glyphs
    /// that touch (blur, low resolution) split at the line's pitch.
    /// </summary>
    /// <param name="runLength">
    /// When the mask holds nothing but a run of this many monospaced glyphs, the pitch follows from the run's length.
    /// </param>
    internal static List<InkComponent> SegmentGlyphs(InkMask mask, int? runLength = null)
    {
        var components = ConnectedComponents.Find(mask).Where(c => c.Height >= 6 && c.Area >= 10).ToList();
        if (components.Count == 0) return [];
        // Digits are the tallest regular shapes; frame lines spanning the region are not digits.
        var candidates = components.Where(c => c.Height < mask.Height * 0.98 || c.Width < mask.Height).ToList();
        if (candidates.Count == 0) return [];
        var maxHeight = candidates.Max(c => c.Height);
        var digitHeight = Median(candidates.Where(c => c.Height >= maxHeight * 0.55).Select(c => (double)c.Height));
        var lineCenter = Median(candidates.Where(c => c.Height >= digitHeight * 0.8).Select(c => c.CenterY));

        var glyphs = candidates
            .Where(c => c.Height >= digitHeight * 0.6 && c.Height <= digitHeight * 1.4 && Math.Abs(c.CenterY - lineCenter) <= digitHeight * 0.45)
            .ToList();
        // Fragments (a stroke broken by binarisation) join the glyph they overlap horizontally.
        foreach (var piece in candidates.Except(glyphs).Where(c => Math.Abs(c.CenterY - lineCenter) <= digitHeight * 0.6))
        {
            var host = glyphs.FirstOrDefault(g => Overlap(g, piece) >= 0.5 * Math.Min(g.Width, piece.Width));
            if (host is not null) glyphs[glyphs.IndexOf(host)] = host.Union(piece);
        }
        glyphs = MergeOverlapping(glyphs);
        if (glyphs.Count == 0) return glyphs;

        // A digit is ~0.75 of the advance wide, so n glyphs span n - 0.25 advances.
        var runPitch = runLength is { } n ? (glyphs[^1].Right - glyphs[0].X) / (n - 0.25) : 0;
        // A run pitch far below a digit's width means the mask is not a 16-digit run (one blob, a smudge).
        var pitch = runPitch >= digitHeight * 0.4 ? runPitch : EstimatePitch(glyphs, digitHeight);
        var split = new List<InkComponent>();
        foreach (var g in glyphs)
        {
            var parts = (int)Math.Round(g.Width / pitch);
            if (parts >= 2 && g.Width > pitch * 1.4)
            {
                var w = g.Width / (double)parts;
                for (var i = 0; i < parts; i++)
                {
                    var x0 = g.X + (int)Math.Round(i * w);
                    var x1 = g.X + (int)Math.Round((i + 1) * w);
                    if (x1 - x0 >= 2) split.Add(Tighten(mask, new InkComponent(x0, g.Y, x1 - x0, g.Height, g.Area / parts)));
                }
            }
            else
            {
                split.Add(g);
            }
        }
        return split;
    }

    /// <summary>Shrinks a piece cut from fused glyphs to the columns and rows that hold its own ink.</summary>
    private static InkComponent Tighten(InkMask mask, InkComponent piece)
    {
        int left = piece.Right, right = piece.X - 1, top = piece.Bottom, bottom = piece.Y - 1;
        for (var y = piece.Y; y < piece.Bottom; y++)
        for (var x = piece.X; x < piece.Right; x++)
        {
            if (!mask[x, y]) continue;
            left = Math.Min(left, x);
            right = Math.Max(right, x);
            top = Math.Min(top, y);
            bottom = Math.Max(bottom, y);
        }
        return right < left ? piece : new InkComponent(left, top, right - left + 1, bottom - top + 1, piece.Area);
    }

    private static List<InkComponent> MergeOverlapping(List<InkComponent> glyphs)
    {
        var sorted = glyphs.OrderBy(g => g.X).ToList();
        var merged = new List<InkComponent>();
        foreach (var g in sorted)
        {
            if (merged.Count > 0 && Overlap(merged[^1], g) >= 0.5 * Math.Min(merged[^1].Width, g.Width))
                merged[^1] = merged[^1].Union(g);
            else
                merged.Add(g);
        }
        return merged;
    }

    /// <summary>Typical glyph advance: the median distance between neighbours' left edges, when glyphs are separate.</summary>
    private static double EstimatePitch(List<InkComponent> glyphs, double digitHeight)
    {
        var steps = new List<double>();
        for (var i = 1; i < glyphs.Count; i++) steps.Add(glyphs[i].X - glyphs[i - 1].X);
        // Digit advance is ~0.6–0.75 of the digit height in OCR-A and Arial; trust it when too few glyphs are separate.
        var plausible = steps.Where(s => s > digitHeight * 0.45 && s < digitHeight * 1.0).ToList();
        return plausible.Count >= 4 ? Median(plausible) : digitHeight * 0.68;
    }

    private static int Overlap(InkComponent a, InkComponent b) => Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        if (sorted.Count == 0) return 0;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
