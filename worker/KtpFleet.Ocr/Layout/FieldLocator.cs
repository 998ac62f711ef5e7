using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Layout;

/// <summary>
/// Locates every value on a rectified, upright card. The KTP's fixed order of rows gives the meaning; the ink gives
/// the positions: text lines are found in the image, the NIK line is recognised by its 16 glyphs, label rows are
/// told from wrapped continuation lines by whether they have ink left of the value column, and the value column
/// itself is measured from where values start on this card.
/// </summary>
public sealed class FieldLocator(NikGlyphReader nikReader, FormattedDigitReader digitReader)
{
    /// <summary>The labelled rows under the NIK, in print order. Jenis Kelamin's row also carries Gol. Darah.</summary>
    public static readonly IReadOnlyList<string> LabelRows =
    [
        KtpField.Nama, KtpField.TempatLahir, KtpField.JenisKelamin, KtpField.Alamat, KtpField.RtRw, KtpField.KelDesa,
        KtpField.Kecamatan, KtpField.Agama, KtpField.StatusPerkawinan, KtpField.Pekerjaan, KtpField.Kewarganegaraan,
        KtpField.BerlakuHingga,
    ];

    // Fractions of the canonical card: generous bounds, not positions; positions come from the ink.
    private const double PhotoLeft = 0.72;
    private const double NikSearchBottom = 0.40;
    /// <summary>A NIK line whose glyphs fit their templates this well on average is the NIK; searching further only costs time.</summary>
    private const double CertainNikScore = 0.8;
    private const double UnreadDigitScore = 0.3;
    private const int MaxUnreadDigits = 3;
    private const double NominalValueColumn = 0.276;
    /// <summary>Words of one value are a space apart; a gap this wide ends the value.</summary>
    private const double MaxWordGap = 0.06;

    public FieldLocator() : this(new NikGlyphReader(), new FormattedDigitReader()) { }

    public CardLayout Locate(GrayImageView card)
    {
        int w = card.Width, h = card.Height;
        var lines = TextLineFinder.Find(card, new PixelRect((int)(w * 0.02), (int)(h * 0.03), (int)(w * (PhotoLeft - 0.02)), (int)(h * 0.94)));
        var fields = new Dictionary<string, IReadOnlyList<PixelRect>>();

        var (nikIndex, nikReading) = FindNikLine(card, lines, h);
        var nikFound = nikIndex >= 0;
        if (nikFound) fields[KtpField.Nik] = [lines[nikIndex].Box];

        // The header is centred across the whole card (a long regency name runs past the value column's right
        // edge), so it is found full-width in the band above the NIK line.
        var headerBottom = nikFound ? lines[nikIndex].Top - 2 : (int)(h * 0.2);
        var header = TextLineFinder.Find(card, new PixelRect((int)(w * 0.02), (int)(h * 0.03), (int)(w * 0.96), Math.Max(headerBottom - (int)(h * 0.03), 0)))
            .Where(l => l.Bottom <= headerBottom + 2)
            .ToList();
        if (header.Count >= 1) fields[KtpField.Provinsi] = [header[0].Box];
        if (header.Count >= 2) fields[KtpField.KabupatenKota] = header.Skip(1).Select(l => l.Box).ToList();

        var body = nikFound ? lines.Skip(nikIndex + 1).ToList() : lines.Where(l => l.Top >= h * 0.2).ToList();
        var valueX = ValueColumn(body, w);
        var nikByPosition = false;
        if (!nikFound && lines.Where(l => IsLabelRow(l, valueX, w)).ToList() is var labelled
            && (labelled.Count > LabelRows.Count || StandsApart(labelled, lines)))
        {
            // More labelled rows than a KTP has below its NIK (the centred header has no label column), or a first
            // row set apart from the rest as the NIK row is: that is the NIK row, whose digits did not read as a NIK
            // (glare, smear). The card is read on, its NIK by the fallback reader, over the row up to the photo: the
            // digits may be too faint to be part of the line.
            var nikRow = NikRowOf(labelled, w);
            var row = nikRow.Box;
            fields[KtpField.Nik] = [row with { Width = Math.Max(row.Width, (int)(w * PhotoLeft) - row.X) }];
            body = lines.SkipWhile(l => l != nikRow).Skip(1).ToList();
            nikByPosition = true;
        }
        var labelRows = AssignRows(card, body, valueX, fields, w);
        LocateIssuePlaceAndDate(card, fields);
        return new CardLayout(fields, new LayoutEvidence(labelRows, nikFound, valueX)
        {
            NikRowByPosition = nikByPosition,
            AlignedRows = body.Count(l => IsAligned(l, valueX, w)),
        }) { Nik = nikReading };
    }

    /// <summary>
    /// Of the labelled rows, the NIK row: the first that starts at the label column, where most labelled rows start.
    /// Under blur and noise the centred header lines pass for labelled rows (specks, or a long name, reach left of the
    /// value column), but their first letter lies far right of the label column, where every label starts, the
    /// NIK's own among them. On 200 generated hard captures (seed 8001) the layout's NIK row lay on the printed one
    /// on 136 cards with the first labelled row, on 147 with this (requiring a row's height too, or only refusing
    /// rows starting far right, found 146 and 145).
    /// </summary>
    private static TextLine NikRowOf(IReadOnlyList<TextLine> labelled, int width)
    {
        var column = labelled.Select(LetterStart).Order().ElementAt(labelled.Count / 2);
        return labelled.FirstOrDefault(l => Math.Abs(LetterStart(l) - column) <= width * LabelColumnTolerance) ?? labelled[0];
    }

    /// <summary>Labels start within this fraction of the card's width of one another (a blurred first letter, a speck before it).</summary>
    private const double LabelColumnTolerance = 0.04;

    /// <summary>
    /// Where the line's first letter-tall glyph starts (specks of noise before it are not letters). Letter-tall from
    /// 0.3 of the line's height: a NIK row merged with the line under it is twice a letter's height.
    /// </summary>
    private static int LetterStart(TextLine line) =>
        line.Glyphs.FirstOrDefault(g => g.Height >= Math.Max(7, line.Box.Height * 0.3)) is { Width: > 0 } g ? g.X : line.Box.X;

    /// <summary>
    /// Whether the first labelled row stands apart from the lines under it as the NIK row does: its larger print is
    /// followed by a wider gap, ~1.6 line pitches to the Nama row where the other rows follow one another at one
    /// (a wrapped value's second line among them). Measured to the next line, not the next label row, so that a
    /// long name wrapping to a second line does not set the Nama row apart.
    /// </summary>
    private static bool StandsApart(IReadOnlyList<TextLine> labelled, IReadOnlyList<TextLine> lines)
    {
        if (labelled.Count == 0) return false;
        var below = lines.Where(l => l.Top > labelled[0].Bottom).ToList();
        if (below.Count < 4) return false;
        var pitches = below.Zip(below.Skip(1), (a, b) => b.CenterY - a.CenterY).Order().ToList();
        var pitch = pitches[pitches.Count / 2];
        return below[0].CenterY - labelled[0].CenterY >= NikRowPitches * pitch;
    }

    /// <summary>From the NIK row's centre to the Nama row's, in line pitches (~1.6 on the specimens and the template).</summary>
    private const double NikRowPitches = 1.35;

    /// <summary>
    /// The NIK is the one among the first lines that reads as 16 digits best on average (one smudged digit must not
    /// hide the line). Fused digits (blur) are split by the reader, so the line's blob count is no guide; a weak best
    /// match means no NIK line was found, and so does a line of which more than <see cref="MaxUnreadDigits"/> glyphs
    /// fit no digit: the birth line's eight date digits and its place name average past the bar when the NIK's own
    /// digits are smeared.
    /// </summary>
    private (int Index, NikGlyphReading? Reading) FindNikLine(GrayImageView card, IReadOnlyList<TextLine> lines, int height)
    {
        const double minimumScore = 0.5;
        (int Index, NikGlyphReading? Reading) best = (-1, null);
        var bestScore = minimumScore;
        for (var i = 0; i < lines.Count && i < 5 && lines[i].Top < height * NikSearchBottom; i++)
        {
            var reading = Better(nikReader.Read(card, Pad(lines[i].Box, 4, card), levelAlongLine: false), () => ReadDigitRun(card, lines[i]));
            if (reading is null || reading.Scores.Average() <= bestScore || reading.Scores.Count(g => g < UnreadDigitScore) > MaxUnreadDigits) continue;
            bestScore = reading.Scores.Average();
            best = (i, reading);
            if (bestScore >= CertainNikScore) break;
        }
        if (best.Index < 0) return FindNikLineByCells(card, lines, height);
        return (best.Index, SecondOpinion(card, lines[best.Index], best.Reading!));
    }

    /// <summary>
    /// A segmented reading that is not decisive gets a second reading of the same line as cells: where noise broke
    /// or fused glyphs, segmentation misreads and shifts digits while the cells still fit. The two disagree rarely,
    /// and then the one whose glyphs fit their templates better on average was right in all 21 cases on 320
    /// generated cards (cell correlations run higher than segmented ones for the same print, so a cell reading must
    /// beat the segmented one outright).
    /// </summary>
    private NikGlyphReading SecondOpinion(GrayImageView card, TextLine line, NikGlyphReading segmented)
    {
        if (segmented.Decisive) return segmented;
        // A quick survey first, in the font segmentation found: where it reads the same digits, there is nothing to settle.
        var region = CellRegion(card, line.Box);
        var survey = nikReader.ReadCells(card, region, refine: false, font: segmented.Font);
        if (survey is null || survey.Digits == segmented.Digits) return segmented;
        var cells = nikReader.ReadCells(card, region);
        return cells is not null && cells.Digits != segmented.Digits && cells.Scores.Average() > segmented.Scores.Average() ? cells : segmented;
    }

    /// <summary>The line with a line height of margin either side (the finder may leave the last digit or two out of the box), left of the photo.</summary>
    private static PixelRect CellRegion(GrayImageView card, PixelRect box) =>
        new PixelRect(box.X - box.Height, box.Y - 4, box.Width + 2 * box.Height, box.Height + 8)
            .ClipTo(Math.Min(card.Width, (int)(card.Width * PhotoLeft)), card.Height);

    /// <summary>Lines taller than this share of the card are rows fused by noise, not one line.</summary>
    private const double MaxLineShare = 0.12;

    /// <summary>
    /// When no line segments into a NIK (a small, noisy capture), the first lines are read as sixteen cells of one
    /// pitch. Any printed line correlates with digit templates to some degree, so the NIK is told by three things at
    /// once: its cells fit best, its digits are the tallest print among the first lines (the NIK is printed larger
    /// than the labelled rows), and they follow the row's label and colon (<see cref="IsLabelledRun"/>).
    /// </summary>
    private (int Index, NikGlyphReading? Reading) FindNikLineByCells(GrayImageView card, IReadOnlyList<TextLine> lines, int height)
    {
        var readings = new List<(int Index, NikGlyphReading Reading)>();
        for (var i = 0; i < lines.Count && i < 5 && lines[i].Top < height * NikSearchBottom; i++)
        {
            if (lines[i].Box.Height > height * MaxLineShare) continue;
            if (nikReader.ReadCells(card, CellRegion(card, lines[i].Box), refine: false) is { } survey
                && IsNikSized(survey.Box, card) && IsLabelledRun(lines[i], survey.Box))
                readings.Add((i, survey));
        }
        if (readings.Count == 0) return (-1, null);
        var tallest = readings.Max(r => r.Reading.Box.Height);
        var index = readings.Where(r => r.Reading.Box.Height >= tallest * 0.85).MaxBy(r => r.Reading.Scores.Average()).Index;
        var best = nikReader.ReadCells(card, CellRegion(card, lines[index].Box));
        return best is not null && NikCellReader.HoldsNik(best) ? (index, best) : (-1, null);
    }

    /// <summary>
    /// Whether sixteen cells are the size a NIK is printed at on the rectified card (about a third of its width and
    /// 3.5 % of its height on the generated cards): sixteen cells a few pixels tall, which the words of a small
    /// noisy photo of a printed page fit as well as digits, are no NIK. On 120 training hard captures every NIK read
    /// right spanned ≥ 272 px and ≥ 20 px; the four readings under these bounds were all wrong.
    /// </summary>
    private static bool IsNikSized(PixelRect cells, GrayImageView card) =>
        cells.Width >= card.Width * MinNikWidthShare && cells.Height >= card.Height * MinNikHeightShare;

    private const double MinNikWidthShare = 0.22;
    private const double MinNikHeightShare = 0.025;

    /// <summary>
    /// Whether the cells sit where a NIK sits on its row: the label ("NIK :", four digit heights and more) left of
    /// them, and in the two digit heights before them nothing of a letter's height, only the colon. The centred
    /// header has no label; a birth line's date, which fits digits too, follows the place name. (A noise blob there
    /// costs a noisy NIK: 3 of 200 generated hard captures, against reading a birth date as the NIK and every row
    /// below one off.)
    /// </summary>
    private static bool IsLabelledRun(TextLine line, PixelRect cells)
    {
        var h = cells.Height;
        return line.Box.X <= cells.X - 4 * h
            && !line.Glyphs.Any(g => g.Height >= 0.6 * h && g.Right > cells.X - 2 * h && g.Right < cells.X - h / 3);
    }

    /// <summary>
    /// The NIK read from its digit run alone (the line's widest segment right of the label). The label is often
    /// printed darker than the digits: thresholded together, the label sets the ink level, the lighter digits break
    /// up or fuse, and the line no longer segments into 16 glyphs.
    /// </summary>
    private NikGlyphReading? ReadDigitRun(GrayImageView card, TextLine line)
    {
        var run = line.Segments((int)(card.Width * 0.024))
            .Where(s => s.X > line.Box.X && s.Width >= line.Box.Height * NikGlyphReader.NikLength * 0.35)
            .OrderByDescending(s => s.Width)
            .FirstOrDefault();
        if (run.Width == 0) return null;
        return nikReader.ReadDigitRun(card, Pad(new PixelRect(run.X, line.Box.Y, run.Width, line.Box.Height), 4, card));
    }

    /// <summary>The reading that fits its templates better on average; the second is only read when the first is weak.</summary>
    private static NikGlyphReading? Better(NikGlyphReading? first, Func<NikGlyphReading?> second)
    {
        if (first is not null && first.Scores.Average() >= CertainNikScore) return first;
        var other = second();
        if (first is null || other is null) return first ?? other;
        return other.Scores.Average() > first.Scores.Average() ? other : first;
    }

    /// <summary>The x where values start (the colon column): the most common start of a row's second segment.</summary>
    private static int ValueColumn(IReadOnlyList<TextLine> body, int width)
    {
        var starts = body
            .Select(l => l.Segments((int)(width * 0.024)))
            .Where(s => s.Count >= 2 && s[0].X < width * 0.2 && s[1].X > width * 0.18 && s[1].X < width * 0.4)
            .Select(s => s[1].X)
            .OrderBy(x => x)
            .ToList();
        return starts.Count >= 3 ? starts[starts.Count / 2] : (int)(width * NominalValueColumn);
    }

    /// <summary>A row with a label: letter-sized ink well left of the value column.</summary>
    private static bool IsLabelRow(TextLine line, int valueX, int width)
    {
        var labelMargin = (int)(width * 0.05);
        return line.Glyphs.Any(g => g.Right < valueX - labelMargin / 4 && g.Height >= 7) && line.Box.X < valueX - labelMargin;
    }

    /// <summary>A label, a gap, and a value starting at the value column: the shape of a KTP row, not of prose.</summary>
    private static bool IsAligned(TextLine line, int valueX, int width)
    {
        var segments = line.Segments((int)(width * 0.024));
        return segments.Count >= 2 && segments[0].X < valueX && Math.Abs(segments[1].X - valueX) <= width * 0.03;
    }

    /// <summary>Maps label rows (ink left of the value column) to the label order; other lines continue the row above.</summary>
    private static int AssignRows(GrayImageView card, IReadOnlyList<TextLine> body, int valueX, Dictionary<string, IReadOnlyList<PixelRect>> fields, int width)
    {
        var rows = new List<(int Label, List<TextLine> Lines)>();
        foreach (var line in body)
        {
            if (IsLabelRow(line, valueX, width)) rows.Add((rows.Count, [line]));
            // A wrapped value continues at the value column; anything else there is a mark, not text.
            else if (rows.Count > 0 && IsContinuation(line, valueX, width)) rows[^1].Lines.Add(line);
        }
        for (var i = 0; i + 1 < rows.Count; i++)
            if (LoneContinuation(card, rows[i].Lines[^1], rows[i + 1].Lines[0], valueX, width) is { } lone) rows[i].Lines.Add(lone);
        for (var i = 0; i < rows.Count && i < LabelRows.Count; i++)
        {
            var field = LabelRows[i];
            // From the colon on: cutting between a colon and a letter fused to it damages the letter; the colon is
            // read as ":" (it is in every whitelist) and dropped by the parsers.
            var valueStart = valueX - 2;
            if (field == KtpField.JenisKelamin)
            {
                SplitSexAndBloodType(rows[i].Lines[0], valueStart, width, fields);
                continue;
            }
            var spans = rows[i].Lines.Select(l => ValueSpan(card, l, valueStart, (int)(width * PhotoLeft), (int)(width * MaxWordGap))).OfType<PixelRect>().ToList();
            if (spans.Count > 0)
                fields[field] = spans;
        }
        return rows.Count;
    }

    private static bool IsContinuation(TextLine line, int valueX, int width) =>
        line.Box.X >= valueX - 6 && line.Box.X <= valueX + width * 0.05;

    /// <summary>
    /// A wrapped value's second line that is one blob (<c>23</c>, <c>205C</c> fused by blur): too sparse to be found
    /// as a row, it is looked for alone in the gap between a row and the next, where nothing else is printed.
    /// </summary>
    private static TextLine? LoneContinuation(GrayImageView card, TextLine above, TextLine below, int valueX, int width)
    {
        var rowHeight = above.Box.Height;
        int top = above.Bottom + 1, bottom = below.Top - 1;
        if (bottom - top < rowHeight) return null;
        var gap = new PixelRect(valueX - 6, top, (int)(width * PhotoLeft) - valueX + 6, bottom - top);
        return TextLineFinder.Find(card, gap, maxGlyphHeight: rowHeight * 3 / 2, minGlyphsPerRow: 1)
            .Where(l => IsContinuation(l, valueX, width) && l.Box.Height >= rowHeight * 0.7 && l.Box.Height <= rowHeight * 1.3)
            // Short, as what a row finder misses is: a row's worth of letters there is another row, not a continuation.
            .Where(l => l.Box.Width <= rowHeight * 4 && l.Glyphs.Count(g => g.Height >= rowHeight * 0.7) <= 3)
            .FirstOrDefault(l => l.Glyphs.Any(g => g.Height >= rowHeight * 0.7 && g.Width >= g.Height * 0.5));
    }

    /// <summary>
    /// A value's span on its line, also measured on the line re-levelled along its length (<see cref="LineLevelling"/>):
    /// the body's one threshold drops print lightened by glare or a faint print run, and a value cut short there
    /// loses its end (a birth date, a house number) or, past a lost word, everything after it. The span only ever
    /// grows: what the body's threshold kept is kept.
    /// </summary>
    private static PixelRect? ValueSpan(GrayImageView card, TextLine line, int fromX, int toX, int maxGap)
    {
        var span = line.Span(fromX, toX, maxGap);
        var strip = new PixelRect(fromX, line.Top - 2, toX - fromX, line.Box.Height + 4);
        // Blank paper where the span could grow (the common case: a clean card) holds nothing to level.
        if (span is { } found && IsBlank(card, strip with { X = found.Right + 2, Width = toX - found.Right - 2 })
            && (found.X - fromX <= line.Box.Height || IsBlank(card, strip with { Width = found.X - fromX })))
            return span;
        var mask = InkMask.FromRegion(card, strip, levelAlongLine: true);
        var glyphs = ConnectedComponents.Find(mask)
            .Where(c => c.Area >= 4 && c.Height <= line.Box.Height * 1.5)
            .Select(c => new PixelRect(mask.OriginX + c.X, mask.OriginY + c.Y, c.Width, c.Height))
            .Where(g => g.Y + g.Height / 2.0 >= line.Top && g.Y + g.Height / 2.0 <= line.Bottom)
            .ToList();
        var levelled = new TextLine(line.Box, glyphs).Span(fromX, toX, maxGap);
        if (span is not { } a) return levelled;
        if (levelled is not { } b) return a;
        // Leftwards only past a lost letter: the colon, levelled, can look like one.
        var x = a.X - b.X > line.Box.Height ? b.X : a.X;
        return new PixelRect(x, line.Top, Math.Max(a.Right, b.Right) - x, line.Box.Height);
    }

    /// <summary>No two pixels in the region differ by the contrast <see cref="LineLevelling"/> takes for print.</summary>
    private static unsafe bool IsBlank(GrayImageView card, PixelRect region)
    {
        var r = region.ClipTo(card.Width, card.Height);
        byte lo = 255, hi = 0;
        for (var y = r.Y; y < r.Bottom; y++)
        {
            var row = new ReadOnlySpan<byte>((byte*)card.Data + (long)y * card.Stride + r.X, r.Width);
            foreach (var v in row)
            {
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        }
        return hi - lo < LineLevelling.MinContrast;
    }

    /// <summary>"LAKI-LAKI      Gol. Darah : B": the sex ends at the first wide gap; the blood type follows the last colon.</summary>
    private static void SplitSexAndBloodType(TextLine row, int valueStart, int width, Dictionary<string, IReadOnlyList<PixelRect>> fields)
    {
        var segments = row.Segments((int)(width * 0.024)).Where(s => s.Right > valueStart).ToList();
        var sex = row.Span(valueStart, segments.Count > 0 ? segments[0].Right + 1 : valueStart, (int)(width * MaxWordGap));
        if (sex is { } s) fields[KtpField.JenisKelamin] = [s];
        // Gol. Darah sits in the middle of the row; its value is the ink after that label's colon.
        var golLabel = segments.Skip(1).FirstOrDefault(seg => seg.X > width * 0.4);
        if (golLabel.Width == 0) return;
        var fromLabel = row.Glyphs.Where(g => g.X >= golLabel.X).OrderBy(g => g.X).ToList();
        var value = BloodTypeGlyphs(fromLabel, row.Box, out var placeStart);
        if (value.Count > 0)
        {
            var x = value.Min(g => g.X);
            fields[KtpField.GolonganDarah] = [new PixelRect(x, row.Box.Y, value.Max(g => g.Right) - x, row.Box.Height)];
        }
        else if (placeStart >= 0)
        {
            // The label (and its colon, if found) and nothing the body's threshold kept after it: a light print's
            // "-" is a faint 2-px stroke. The value's place goes to the blood-type reader, which thresholds it alone,
            // starting past the label's blur halo and the reader's padding: the label's last dark stroke in the region
            // would set its threshold and drop the faint dash.
            fields[KtpField.GolonganDarah] = [new PixelRect(placeStart + BloodPlaceOffset, row.Box.Y, (int)(row.Box.Height * 2.5), row.Box.Height)];
        }
    }

    /// <summary>
    /// The value's blobs among those of "Gol. Darah : X" (from the label's first blob on), left to right. After the
    /// colon, whose two dots are small blobs one above the other (a blurred "-" is as small and as square as one dot,
    /// but alone); when the dots are lost or fused, what follows the last word gap, once the label's length lies
    /// before it.
    /// </summary>
    internal static List<PixelRect> BloodTypeGlyphs(IReadOnlyList<PixelRect> fromLabel, PixelRect row) =>
        BloodTypeGlyphs(fromLabel, row, out _);

    /// <param name="row">the Jenis Kelamin row's box</param>
    /// <param name="placeStart">
    /// where the value's place begins when no value blob was kept: the colon's right edge, or the label's when the
    /// label is all there is; else -1
    /// </param>
    internal static List<PixelRect> BloodTypeGlyphs(IReadOnlyList<PixelRect> fromLabel, PixelRect row, out int placeStart)
    {
        placeStart = -1;
        if (fromLabel.Count == 0) return [];
        var rowHeight = row.Height;
        var labelX = fromLabel[0].X;
        var small = rowHeight * 0.45;
        // Blur widens a dot more than it raises it.
        bool IsDot(PixelRect g) => g.Height < small && g.Width < small && g.Width <= g.Height * 2;
        var dots = fromLabel.Where(IsDot).ToList();
        // A colon stands after the label's length: two stacked specks inside "Darah" (blur breaks its last letters
        // into pieces) are no colon.
        var colon = dots.LastOrDefault(d => d.X - labelX >= rowHeight * MinBloodLabelLength
            && dots.Any(o => o != d && o.IsStackedWith(d)));
        if (colon.Width > 0)
        {
            var right = dots.Where(o => Math.Min(o.Right, colon.Right) > Math.Max(o.X, colon.X)).Max(o => o.Right);
            var after = fromLabel.Where(g => g.X >= right).ToList();
            if (after.Count == 0) placeStart = right;
            return after;
        }
        // A speck (of the card's texture past the value, or a colon's dot): small, not at a hyphen's height, and not
        // flat as a hyphen is, nor as wide as one (blur widens a dot: a colon's upper dot alone, 3 × 2 px in a 17-px
        // row, was taken for the value).
        bool IsSpeck(PixelRect g) => IsDot(g) && (g.Width <= g.Height || g.Width < rowHeight * MinHyphenWidth)
            && !BloodTypeReader.IsAtDashHeight(g.Y + g.Height / 2.0, row);
        var end = fromLabel.Count;
        while (end > 1 && IsSpeck(fromLabel[end - 1])
               && fromLabel[end - 1].X - fromLabel.Take(end - 1).Max(g => g.Right) >= rowHeight * 0.4)
            end--;
        fromLabel = fromLabel.Take(end).ToList();
        for (var i = fromLabel.Count - 1; i >= 1; i--)
        {
            if (fromLabel[i].X - fromLabel.Take(i).Max(g => g.Right) < rowHeight * 0.4) continue;
            // The words before it must be as long as "Gol. Darah" (~10 letters): a gap inside the label is no colon.
            if (fromLabel[i].X - labelX < rowHeight * MinBloodLabelLength) break;
            var value = fromLabel.Skip(i).ToList();
            // A lone square dot there, off a hyphen's height, is the colon itself (its partner lost).
            if (value.Count != 1 || !IsSpeck(value[0])) return value;
            placeStart = value[0].Right;
            return [];
        }
        // No gap after a label of full length: the value, if any, was too faint for the row's threshold.
        var labelRight = fromLabel.Max(g => g.Right);
        if (labelRight - labelX >= rowHeight * MinBloodLabelLength) placeStart = labelRight;
        return [];
    }

    /// <summary>Pixels from the label's or colon's right edge to where the value's place starts (padding 4 + halo 2).</summary>
    private const int BloodPlaceOffset = 7;

    /// <summary>A hyphen's width in row heights, at least (Arial's is ~0.33 of the cap height, more when blurred).</summary>
    private const double MinHyphenWidth = 0.25;

    /// <summary>Length of "Gol. Darah" in row heights, at least (it is ~5.5).</summary>
    private const double MinBloodLabelLength = 4.5;

    /// <summary>
    /// Under the photo: the issuing regency/city and the issue date. The date is the centred line there that reads as
    /// one (its separators where a date has them, <see cref="FormattedDigitReader"/>), the place the line or two just
    /// above it: a long name is printed smaller or wraps, a short one is a blob or two, and the photo's lower edge or
    /// the signature can look like a row of letters, so neither their order nor their shape tells them. When no line
    /// reads as a date (blurred print), the first row of letters there is the place and the line right under it the date.
    /// </summary>
    /// <summary>
    /// The weakest digit fit of a line taken as the issue date. On 100 training photo cards the lines under the photo
    /// that were not the date read as dates at 0.21 at best; 148 of 158 date lines read at more.
    /// </summary>
    private const double MinIssueDateFit = 0.22;

    private void LocateIssuePlaceAndDate(GrayImageView card, Dictionary<string, IReadOnlyList<PixelRect>> fields)
    {
        int w = card.Width, h = card.Height;
        var region = new PixelRect((int)(w * PhotoLeft), (int)(h * 0.5), (int)(w * (0.99 - PhotoLeft)), (int)(h * 0.36));
        bool Centred(TextLine l) => l.Box.Height <= h * 0.05 && l.Segments((int)(w * 0.024)).Count == 1
            && Math.Abs(l.Box.X + l.Box.Width / 2.0 - w * 0.84) < w * 0.09;
        var lines = TextLineFinder.Find(card, region, maxGlyphHeight: 40, minGlyphsPerRow: 1)
            .Where(l => l.Box.Height >= 7 && Centred(l))
            .ToList();
        var date = lines
            .Select(l => (Line: l, Reading: digitReader.Read(card, Pad(l.Box, 4, card), l.Box.Height, FormattedDigitReader.DateFormat)))
            .Where(d => d.Reading is { MinScore: >= MinIssueDateFit })
            .OrderByDescending(d => d.Reading!.MinScore)
            .Select(d => d.Line)
            .FirstOrDefault();
        if (date is not null)
        {
            fields[KtpField.TanggalTerbit] = [date.Box];
            var place = new List<PixelRect>();
            var below = date;
            while (place.Count < 2 && lines.LastOrDefault(l => l.Bottom <= below.Top && below.Top - l.Bottom <= date.Box.Height * 1.6 && l.Box.Height <= date.Box.Height * 1.4) is { } above)
            {
                place.Insert(0, above.Box);
                below = above;
            }
            if (place.Count > 0) fields[KtpField.TempatTerbit] = [.. place.Select(p => ExtendLeft(card, p))];
            return;
        }
        var candidates = TextLineFinder.Find(card, region, maxGlyphHeight: 40)
            .Where(l => l.Box.Height >= 10 && Centred(l) && IsLetterRow(l))
            .ToList();
        // Faint print may make neither line a row of letters; two lines one under the other are the place and date.
        var first = candidates.FirstOrDefault() ?? lines.FirstOrDefault(l => lines.Any(b => IsNextLine(l, b)));
        if (first is null) return;
        var next = lines.FirstOrDefault(l => IsNextLine(first, l)) ?? LineUnder(card, region, first) ?? candidates.Skip(1).FirstOrDefault();
        if (next is null)
        {
            fields[KtpField.TanggalTerbit] = [first.Box];
            return;
        }
        fields[KtpField.TempatTerbit] = [ExtendLeft(card, first.Box)];
        fields[KtpField.TanggalTerbit] = [next.Box];
    }

    /// <summary>
    /// The line right under <paramref name="line"/>, looked for in a band of its own: in the whole region the photo's
    /// silhouette and the signature set the ink level, and a faint date falls below it.
    /// </summary>
    private static TextLine? LineUnder(GrayImageView card, PixelRect region, TextLine line)
    {
        var band = new PixelRect(region.X, line.Bottom + 1, region.Width, (int)(LineUnderReach * line.Box.Height)).ClipTo(card.Width, card.Height);
        if (band.IsEmpty) return null;
        return TextLineFinder.Find(card, band, maxGlyphHeight: 40, minGlyphsPerRow: 1)
            .FirstOrDefault(l => l.Box.Height >= 7 && IsNextLine(line, l)
                && Math.Abs(l.Box.X + l.Box.Width / 2.0 - (line.Box.X + line.Box.Width / 2.0)) <= Math.Max(l.Box.Width, line.Box.Width) / 2.0);
    }

    /// <summary>
    /// How far under the place the date's band reaches, in the place's heights: the gap (≤ 1.6) and most of the date.
    /// (A signature reaching up into the band sets its ink level again, and the date is lost.)
    /// </summary>
    private const double LineUnderReach = 2.5;

    /// <summary>
    /// The line printed right under <paramref name="line"/> (the date under the place): within a line's height or so,
    /// and no taller. A faint date fails the letter-row test and may read as no date, yet it is there; the signature
    /// below it is further down.
    /// </summary>
    private static bool IsNextLine(TextLine line, TextLine below) =>
        below.Top > line.Bottom && below.Top - line.Bottom <= line.Box.Height * 1.6 && below.Box.Height <= line.Box.Height * 1.4;

    /// <summary>
    /// A long issuing regency's name (<c>TIMOR TENGAH SELATAN</c>), centred under the photo, starts left of the
    /// photo's edge, where the search region ends: its first letter was cut or half cut (<c>IMOR TENGAH SELATAN</c>,
    /// <c>IUMBANG HASUNDUTAN</c>: 6 of 250 clean held-out cards). The line grows leftwards over the ink on its row that
    /// follows on within a letter's gap.
    /// </summary>
    private static PixelRect ExtendLeft(GrayImageView card, PixelRect line)
    {
        var reach = (int)(card.Width * IssuePlaceReach);
        var left = new PixelRect(line.X - reach, line.Y - 2, reach, line.Height + 4).ClipTo(card.Width, card.Height);
        if (left.Width <= 0 || IsBlank(card, left)) return line;
        // Thresholded together with the line's own first letters, so that a guilloche or texture lighter than the
        // print falls to the paper; only the dark core counts.
        var strip = left with { Width = left.Width + Math.Min(line.Width, line.Height * 3) };
        var mask = InkMask.FromRegion(card, strip).Core();
        var glyphs = ConnectedComponents.Find(mask)
            .Where(c => c.Area >= 4 && c.Height >= line.Height * 0.5 && c.Height <= line.Height * 1.5)
            .Select(c => (X: mask.OriginX + c.X, Right: mask.OriginX + c.Right, CentreY: mask.OriginY + c.CenterY))
            .Where(g => g.CentreY >= line.Y && g.CentreY <= line.Bottom && g.X < line.X)
            .OrderByDescending(g => g.Right)
            .ToList();
        var x = line.X;
        foreach (var g in glyphs)
            if (x - g.Right <= line.Height * 0.6) x = Math.Min(x, g.X);
        return x == line.X ? line : line with { X = x, Width = line.Right - x };
    }

    /// <summary>How far left of where the issue place was found its line may grow (share of the card width).</summary>
    private const double IssuePlaceReach = 0.08;

    /// <summary>
    /// A row of letters, not a mark or the speckled edge of the photo: most of its blobs are letter-tall, and they
    /// span at least two letters (blur fuses a short word such as "PALU" into one blob, so blobs are not counted).
    /// </summary>
    internal static bool IsLetterRow(TextLine line)
    {
        var tall = line.Glyphs.Where(g => g.Height >= line.Box.Height * 0.5).ToList();
        return tall.Count * 2 >= line.Glyphs.Count && tall.Sum(g => g.Width) >= 2 * line.Box.Height;
    }

    private static PixelRect Pad(PixelRect r, int by, GrayImageView card) =>
        new PixelRect(r.X - by, r.Y - by, r.Width + 2 * by, r.Height + 2 * by).ClipTo(card.Width, card.Height);
}
