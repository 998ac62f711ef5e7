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
public sealed class FieldLocator(NikGlyphReader nikReader)
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
    private const double NominalValueColumn = 0.276;
    /// <summary>Words of one value are a space apart; a gap this wide ends the value.</summary>
    private const double MaxWordGap = 0.06;

    public FieldLocator() : this(new NikGlyphReader()) { }

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
        var labelRows = AssignRows(body, valueX, fields, w);
        LocateIssuePlaceAndDate(card, fields);
        return new CardLayout(fields, new LayoutEvidence(labelRows, nikFound, valueX)) { Nik = nikReading };
    }

    /// <summary>
    /// The NIK is the one among the first lines that reads as 16 digits best on average (one smudged digit must not
    /// hide the line). Fused digits (blur) are split by the reader, so the line's blob count is no guide; a weak best
    /// match means no NIK line was found.
    /// </summary>
    private (int Index, NikGlyphReading? Reading) FindNikLine(GrayImageView card, IReadOnlyList<TextLine> lines, int height)
    {
        const double minimumScore = 0.5;
        // A line that fits this well is the NIK; searching further only costs time.
        const double certainScore = 0.8;
        (int Index, NikGlyphReading? Reading) best = (-1, null);
        var bestScore = minimumScore;
        for (var i = 0; i < lines.Count && i < 5 && lines[i].Top < height * NikSearchBottom; i++)
        {
            var reading = nikReader.Read(card, Pad(lines[i].Box, 4, card));
            if (reading is null || reading.Scores.Average() <= bestScore) continue;
            bestScore = reading.Scores.Average();
            best = (i, reading);
            if (bestScore >= certainScore) break;
        }
        return best;
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

    /// <summary>Maps label rows (ink left of the value column) to the label order; other lines continue the row above.</summary>
    private static int AssignRows(IReadOnlyList<TextLine> body, int valueX, Dictionary<string, IReadOnlyList<PixelRect>> fields, int width)
    {
        var rows = new List<(int Label, List<TextLine> Lines)>();
        var labelMargin = (int)(width * 0.05);
        foreach (var line in body)
        {
            var hasLabel = line.Glyphs.Any(g => g.Right < valueX - labelMargin / 4 && g.Height >= 7) && line.Box.X < valueX - labelMargin;
            if (hasLabel) rows.Add((rows.Count, [line]));
            // A wrapped value continues at the value column; anything else there is a mark, not text.
            else if (rows.Count > 0 && line.Box.X >= valueX - 6 && line.Box.X <= valueX + width * 0.05) rows[^1].Lines.Add(line);
        }
        for (var i = 0; i < rows.Count && i < LabelRows.Count; i++)
        {
            var field = LabelRows[i];
            // From the colon on: cutting between a colon and a letter fused to it damages the letter; the colon is
            // read as ":" (it is in every whitelist) and dropped by the parsers.
            var valueStart = valueX - 2;
            var spans = rows[i].Lines.Select(l => l.Span(valueStart, (int)(width * PhotoLeft), (int)(width * MaxWordGap))).OfType<PixelRect>().ToList();
            if (field == KtpField.JenisKelamin && spans.Count > 0)
                SplitSexAndBloodType(rows[i].Lines[0], valueStart, width, fields);
            else if (spans.Count > 0)
                fields[field] = spans;
        }
        return rows.Count;
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
        var afterLabel = row.Glyphs.Where(g => g.X > golLabel.X).ToList();
        var small = row.Box.Height * 0.45;
        // Colon dots are small and square; a "-" (no blood type recorded) is small but wide.
        var colon = afterLabel.LastOrDefault(g => g.Height < small && g.Width < small && g.Width <= g.Height * 1.6);
        var value = colon.Width > 0 ? afterLabel.Where(g => g.X > colon.Right).ToList() : afterLabel.Where(g => g.X > golLabel.Right).ToList();
        if (value.Count == 0) return;
        var x = value.Min(g => g.X);
        fields[KtpField.GolonganDarah] = [new PixelRect(x, row.Box.Y, value.Max(g => g.Right) - x, row.Box.Height)];
    }

    /// <summary>
    /// Under the photo: the issuing regency/city and the issue date, the first two short centred text lines below
    /// the photo. The signature below them is a few large strokes, not a row of letters.
    /// </summary>
    private static void LocateIssuePlaceAndDate(GrayImageView card, Dictionary<string, IReadOnlyList<PixelRect>> fields)
    {
        int w = card.Width, h = card.Height;
        var region = new PixelRect((int)(w * PhotoLeft), (int)(h * 0.5), (int)(w * (0.99 - PhotoLeft)), (int)(h * 0.36));
        var candidates = TextLineFinder.Find(card, region, maxGlyphHeight: 40)
            .Where(l => l.Box.Height >= 10 && l.Box.Height <= h * 0.05 && l.Segments((int)(w * 0.024)).Count == 1)
            .Where(l => l.Glyphs.Count(g => g.Height >= l.Box.Height * 0.5) >= 3)
            .Where(l => Math.Abs(l.Box.X + l.Box.Width / 2.0 - w * 0.84) < w * 0.09)
            .ToList();
        if (candidates.Count == 0) return;
        if (candidates.Count == 1)
        {
            fields[KtpField.TanggalTerbit] = [candidates[0].Box];
            return;
        }
        fields[KtpField.TempatTerbit] = [candidates[0].Box];
        fields[KtpField.TanggalTerbit] = [candidates[1].Box];
    }

    private static PixelRect Pad(PixelRect r, int by, GrayImageView card) =>
        new PixelRect(r.X - by, r.Y - by, r.Width + 2 * by, r.Height + 2 * by).ClipTo(card.Width, card.Height);
}
