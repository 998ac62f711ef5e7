using KtpFleet.Corpus.Generation;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Corpus.Rendering;

/// <summary>One line of text as the SVG draws it; <see cref="Y"/> is the baseline, in canonical-card pixels.</summary>
public sealed record TextRun(string Text, double X, double Y, double Size, string Family, bool Bold,
    bool Centered = false, string Fill = "#1b1b1b");

public sealed record Rect(double X, double Y, double Width, double Height);

/// <summary>Where everything on one card goes, on the canonical 1000×630 card; also the ground-truth field boxes.</summary>
public sealed record CardLayout(
    IReadOnlyList<TextRun> Runs,
    IReadOnlyDictionary<string, Box> FieldBoxes,
    Rect Photo,
    Rect Signature,
    LayoutStyle Style);

/// <summary>The per-card print-run variation, recorded in the ground truth.</summary>
public sealed record LayoutStyle(double OffsetX, double OffsetY, double FontScale, double RowPitch, string NikFont,
    bool BoldLabels, int WrappedLines);

/// <summary>
/// Lays out a card the way e-KTPs are printed (proportions measured on the specimens, scaled to the canonical
/// card), with small per-card shifts of position, font size and line spacing so nothing downstream can be tuned
/// to one exact layout. Long Nama / Tempat-Tgl Lahir / Alamat values wrap to a second line.
/// </summary>
public static class CardLayoutBuilder
{
    public const string Sans = "Liberation Sans";
    public const string OcrA = "OCRA";

    private const double ValueMaxWidth = 440;
    private const double LastBaseline = 600;

    public static CardLayout Build(CardData card, CardRandom rng)
    {
        var dx = rng.Jitter(0.015) * CanonicalCard.Width;
        var dy = rng.Jitter(0.012) * CanonicalCard.Height;
        var scale = 1 + rng.Jitter(0.05);
        var nikFont = rng.Chance(0.7) ? OcrA : Sans;
        var boldLabels = rng.Chance(0.5);
        var f = card.Fields;

        var runs = new List<TextRun>();
        var boxes = new Dictionary<string, Box>();
        var regular = FontMetrics.ForPattern(Sans);
        var bold = FontMetrics.ForPattern(Sans + ":bold");
        var labelMetrics = boldLabels ? bold : regular;

        // Header: "PROVINSI X" and the regency line, centred.
        var headerSize = 27 * scale;
        var centre = 500 + dx * 0.5;
        AddCentredHeader(runs, boxes, regular, "PROVINSI ", f[KtpField.Provinsi], KtpField.Provinsi, centre, 58 + dy, headerSize);
        AddCentredHeader(runs, boxes, regular, "", f[KtpField.KabupatenKota], KtpField.KabupatenKota, centre, 97 + dy, headerSize);

        // NIK line in a larger face.
        var labelX = 46 + dx;
        var nikY = 146 + dy;
        var nikLabelSize = 30 * scale;
        runs.Add(new TextRun("NIK", labelX, nikY, nikLabelSize, Sans, boldLabels));
        runs.Add(new TextRun(":", 210 + dx, nikY, nikLabelSize, Sans, boldLabels));
        var nikSize = (nikFont == OcrA ? 29 : 32) * scale;
        var nikMetrics = nikFont == OcrA ? FontMetrics.ForPattern(OcrA) : regular;
        var nikX = 250 + dx;
        runs.Add(new TextRun(f[KtpField.Nik], nikX, nikY, nikSize, nikFont, false));
        boxes[KtpField.Nik] = BoxOf(nikX, nikY, nikMetrics.Width(f[KtpField.Nik], nikSize), nikSize);

        // Label/value rows.
        var size = 22 * scale;
        var colonX = 261 + dx + rng.Jitter(5);
        var valueX = colonX + 15;
        var rows = BuildRows(card, regular, size);
        var wrapped = rows.Sum(r => r.Lines.Count - 1);
        var firstY = 190 + dy;
        var pitch = Math.Min(30.5 * (1 + rng.Jitter(0.04)) * scale, (LastBaseline - firstY) / (rows.Sum(r => r.Lines.Count) - 1));

        var y = firstY;
        foreach (var row in rows)
        {
            var x = labelX + (row.Indented ? 50 * scale : 0);
            runs.Add(new TextRun(row.Label, x, y, size, Sans, boldLabels));
            runs.Add(new TextRun(":", colonX, y, size, Sans, boldLabels));
            for (var i = 0; i < row.Lines.Count; i++)
                runs.Add(new TextRun(row.Lines[i].Text, valueX, y + i * pitch, row.Lines[i].Size, Sans, false));
            foreach (var (field, part) in row.Parts)
                boxes[field] = Union(part.Select(p => BoxOf(valueX + p.X, y + p.Line * pitch, p.Width, row.Lines[p.Line].Size)));

            if (row.Field == KtpField.JenisKelamin)
            {
                // Gol. Darah shares the Jenis Kelamin row, right of the value.
                var gx = 500 + dx;
                var label = rng.Chance(0.5) ? "Gol. Darah" : "Gol Darah";
                runs.Add(new TextRun(label, gx, y, size, Sans, boldLabels));
                var gColon = gx + labelMetrics.Width(label, size) + 6 * scale + rng.Between(0.0, 12.0);
                runs.Add(new TextRun(":", gColon, y, size, Sans, boldLabels));
                var gValueX = gColon + 14 * scale;
                runs.Add(new TextRun(f[KtpField.GolonganDarah], gValueX, y, size, Sans, false));
                boxes[KtpField.GolonganDarah] = BoxOf(gValueX, y, regular.Width(f[KtpField.GolonganDarah], size), size);
            }
            y += row.Lines.Count * pitch;
        }

        // Right column: photo, issue place and date, signature.
        var photo = new Rect(728 + dx * 0.6, 168 + dy, 212 * (1 + rng.Jitter(0.02)), 267 * (1 + rng.Jitter(0.02)));
        var issueX = photo.X + photo.Width / 2;
        var issueSize = 21 * scale;
        // Long regency names are set smaller to stay within the photo column, as on printed cards.
        var issueWidth = photo.Width + 30;
        var placeSize = Math.Min(issueSize, issueSize * issueWidth / Math.Max(1, regular.Width(f[KtpField.TempatTerbit], issueSize)));
        var placeY = photo.Y + photo.Height + 29 * scale;
        var dateY = placeY + 30 * scale;
        runs.Add(new TextRun(f[KtpField.TempatTerbit], issueX, placeY, placeSize, Sans, false, Centered: true));
        runs.Add(new TextRun(f[KtpField.TanggalTerbit], issueX, dateY, issueSize, Sans, false, Centered: true));
        var placeWidth = regular.Width(f[KtpField.TempatTerbit], placeSize);
        var dateWidth = regular.Width(f[KtpField.TanggalTerbit], issueSize);
        boxes[KtpField.TempatTerbit] = BoxOf(issueX - placeWidth / 2, placeY, placeWidth, placeSize);
        boxes[KtpField.TanggalTerbit] = BoxOf(issueX - dateWidth / 2, dateY, dateWidth, issueSize);
        var signature = new Rect(issueX - 105, dateY + 14, 215, Math.Min(70, CanonicalCard.Height - 14 - (dateY + 14)));

        return new CardLayout(runs, boxes, photo, signature,
            new LayoutStyle(Math.Round(dx, 2), Math.Round(dy, 2), Math.Round(scale, 4), Math.Round(pitch, 2), nikFont, boldLabels, wrapped));
    }

    private sealed record Line(string Text, double Size);
    private sealed record Part(int Line, double X, double Width);
    private sealed record Row(string Field, string Label, bool Indented, List<Line> Lines, List<(string Field, List<Part> Parts)> Parts);

    private static List<Row> BuildRows(CardData card, FontMetrics metrics, double size)
    {
        var f = card.Fields;
        var rows = new List<Row>
        {
            Wrapping(KtpField.Nama, "Nama", false, [(KtpField.Nama, f[KtpField.Nama])], metrics, size),
            Wrapping(KtpField.TempatLahir, "Tempat/Tgl Lahir", false,
                [(KtpField.TempatLahir, f[KtpField.TempatLahir] + ","), (KtpField.TanggalLahir, f[KtpField.TanggalLahir])], metrics, size),
            Single(KtpField.JenisKelamin, "Jenis Kelamin", false, f, metrics, size),
            Wrapping(KtpField.Alamat, "Alamat", false, [(KtpField.Alamat, f[KtpField.Alamat])], metrics, size),
            Single(KtpField.RtRw, "RT/RW", true, f, metrics, size),
            Single(KtpField.KelDesa, "Kel/Desa", true, f, metrics, size),
            Single(KtpField.Kecamatan, "Kecamatan", true, f, metrics, size),
            Single(KtpField.Agama, "Agama", false, f, metrics, size),
            Single(KtpField.StatusPerkawinan, "Status Perkawinan", false, f, metrics, size),
            Single(KtpField.Pekerjaan, "Pekerjaan", false, f, metrics, size),
            Single(KtpField.Kewarganegaraan, "Kewarganegaraan", false, f, metrics, size),
            Single(KtpField.BerlakuHingga, "Berlaku Hingga", false, f, metrics, size),
        };
        return rows;
    }

    /// <summary>A value that never wraps on real cards; print runs squeeze it with a smaller size instead.</summary>
    private static Row Single(string field, string label, bool indented, IReadOnlyDictionary<string, string> f, FontMetrics m, double size)
    {
        var text = f[field];
        var fitted = Math.Min(size, size * ValueMaxWidth / Math.Max(1, m.Width(text, size)));
        return new Row(field, label, indented, [new Line(text, fitted)], [(field, [new Part(0, 0, m.Width(text, fitted))])]);
    }

    /// <summary>Greedy word wrap; each source segment (e.g. place and date) keeps track of where its words land.</summary>
    private static Row Wrapping(string field, string label, bool indented, IReadOnlyList<(string Field, string Text)> segments,
        FontMetrics m, double size)
    {
        var space = m.Width(" ", size);
        var lines = new List<System.Text.StringBuilder> { new() };
        var cursor = 0.0;
        var parts = segments.Select(s => (s.Field, Parts: new List<Part>())).ToList();
        for (var s = 0; s < segments.Count; s++)
        {
            foreach (var word in segments[s].Text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var w = m.Width(word, size);
                var start = cursor == 0 ? 0 : cursor + space;
                if (cursor > 0 && start + w > ValueMaxWidth)
                {
                    lines.Add(new System.Text.StringBuilder());
                    start = 0;
                }
                if (lines[^1].Length > 0) lines[^1].Append(' ');
                lines[^1].Append(word);
                var wordWidth = s == 0 && segments.Count > 1 && word.EndsWith(',') ? m.Width(word[..^1], size) : w;
                parts[s].Parts.Add(new Part(lines.Count - 1, start, wordWidth));
                cursor = start + w;
            }
        }
        return new Row(field, label, indented, [.. lines.Select(l => new Line(l.ToString(), size))],
            [.. parts.Select(p => (p.Field, p.Parts))]);
    }

    private static void AddCentredHeader(List<TextRun> runs, Dictionary<string, Box> boxes, FontMetrics m, string prefix,
        string value, string field, double centre, double y, double size)
    {
        var text = prefix + value;
        runs.Add(new TextRun(text, centre, y, size, Sans, false, Centered: true));
        var total = m.Width(text, size);
        var valueStart = centre - total / 2 + m.Width(prefix, size);
        boxes[field] = BoxOf(valueStart, y, m.Width(value, size), size);
    }

    /// <summary>A text box from baseline and size: cap top to descender, padded a little for kerning differences.</summary>
    private static Box BoxOf(double x, double baseline, double width, double size) =>
        new((int)Math.Floor(x - 2), (int)Math.Floor(baseline - 0.80 * size), (int)Math.Ceiling(width + 4), (int)Math.Ceiling(1.02 * size));

    private static Box Union(IEnumerable<Box> boxes)
    {
        var list = boxes.ToList();
        var x0 = list.Min(b => b.X);
        var y0 = list.Min(b => b.Y);
        var x1 = list.Max(b => b.X + b.Width);
        var y1 = list.Max(b => b.Y + b.Height);
        return new Box(x0, y0, x1 - x0, y1 - y0);
    }
}
