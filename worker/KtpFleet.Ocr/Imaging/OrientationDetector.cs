using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// Decides 0° vs 180° for a rectified (landscape) card from two layout cues, each compared with the image as it is
/// and turned half round:
/// <list type="bullet">
/// <item>where ink is (Otsu after background normalisation): the left-aligned label column and the large NIK line on
/// the left, the header centred on top, the issuing city on the right, and the corners that stay blank;</item>
/// <item>where the photo is: the one large block whose colour differs from the card's print (saturated backdrop,
/// hair, clothes), on the right between the NIK line and the issuing city. It survives blur, noise and glare that
/// wash out the text.</item>
/// </list>
/// The evidence is the sum of both cues' margins, each scaled so that a clean card gives about 1.5;
/// <see cref="OrientationDecision.Confidence"/> is its magnitude capped at 1.
/// </summary>
public sealed class OrientationDetector
{
    private const int Cols = 40;
    private const int Rows = 25;
    private const double InkMarginScale = 20;
    private const double PhotoMarginScale = 8;
    private const float MaxCellInk = 1f;

    // Zones of the upright card as fractions (x0, x1, y0, y1) and how strongly ink is expected there (+) or not (−).
    private static readonly (double X0, double X1, double Y0, double Y1, double Weight)[] InkZones =
    [
        (0.03, 0.24, 0.25, 0.88, +1.0), // labels: Nama ... Berlaku Hingga, left-aligned
        (0.03, 0.57, 0.17, 0.25, +1.0), // NIK line, the largest print on the card
        (0.27, 0.60, 0.25, 0.88, +0.5), // values (ragged right)
        (0.30, 0.70, 0.04, 0.16, +0.5), // PROVINSI / KABUPATEN header
        (0.73, 0.94, 0.26, 0.64, +0.3), // photo
        (0.75, 0.92, 0.68, 0.78, +0.5), // issuing city and date
        (0.00, 0.25, 0.00, 0.15, -1.0), // blank: above the NIK label
        (0.76, 1.00, 0.00, 0.20, -1.0), // blank: above the photo
        (0.00, 0.60, 0.91, 1.00, -1.0), // blank: below Berlaku Hingga
        (0.62, 0.72, 0.28, 0.64, -0.5), // blank: between values and photo
    ];

    private static readonly (double X0, double X1, double Y0, double Y1, double Weight)[] PhotoZones =
    [
        (0.745, 0.925, 0.29, 0.61, +1.0), // inside the photo, clear of its border
    ];

    private static readonly double[] InkLayout = BuildLayout(InkZones);
    private static readonly double[] PhotoLayout = BuildLayout(PhotoZones);

    public OrientationDecision Detect(ImageHandle card)
    {
        float[] ink;
        using (var normalized = card.NormalizeBackground()) ink = normalized.InkGrid(Cols, Rows);
        // A dark photo fills its cells with "ink"; capped at a dense text cell's level it cannot outweigh the text
        // layout (the photo has its own cue below).
        var (inkUpright, inkTurned) = Match(ink.Select(v => Math.Min(v, MaxCellInk)).ToArray(), InkLayout);

        double[] photo;
        using (var cells = card.Resize(Cols, Rows)) photo = DistanceFromPrint(cells);
        var (photoUpright, photoTurned) = Match(photo, PhotoLayout);

        double inkMargin = (inkUpright - inkTurned) / InkMarginScale, photoMargin = (photoUpright - photoTurned) / PhotoMarginScale;
        var upright = inkUpright / InkMarginScale + photoUpright / PhotoMarginScale;
        var turned = inkTurned / InkMarginScale + photoTurned / PhotoMarginScale;
        var confidence = Math.Min(1, Math.Abs(upright - turned));
        // When the cues contradict each other one of them is misled (a photo with a backdrop like the card's print,
        // a dark strip of background): say so, so that recognition confirms the orientation.
        if (inkMargin * photoMargin < 0) confidence = Math.Min(confidence, 0.25);
        return new OrientationDecision(turned > upright, confidence, upright, turned);
    }

    /// <summary>Correlation of a grid with the layout, and with the layout turned 180° (= the image turned).</summary>
    private static (double Upright, double Turned) Match(IReadOnlyList<double> grid, double[] layout)
    {
        var mean = grid.Average();
        double upright = 0, turned = 0;
        for (var i = 0; i < grid.Count; i++)
        {
            upright += layout[i] * (grid[i] - mean);
            turned += layout[grid.Count - 1 - i] * (grid[i] - mean);
        }
        return (upright, turned);
    }

    private static (double Upright, double Turned) Match(float[] grid, double[] layout) =>
        Match(grid.Select(v => (double)v).ToArray(), layout);

    /// <summary>Per cell, how far its average colour is from the card's print (the median cell), 0..1.</summary>
    private static double[] DistanceFromPrint(ImageHandle cells)
    {
        using var pixels = cells.UsePixels();
        var channels = pixels.Channels;
        var values = new double[Cols * Rows][];
        for (var y = 0; y < Rows; y++)
        {
            var row = pixels.Row(y);
            for (var x = 0; x < Cols; x++)
            {
                var cell = new double[channels];
                for (var c = 0; c < channels; c++) cell[c] = row[x * channels + c];
                values[y * Cols + x] = cell;
            }
        }
        var print = Enumerable.Range(0, channels).Select(c => Median(values.Select(v => v[c]))).ToArray();
        return values.Select(v => Math.Sqrt(v.Select((value, c) => (value - print[c]) * (value - print[c])).Sum() / channels) / 255).ToArray();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static double[] BuildLayout((double X0, double X1, double Y0, double Y1, double Weight)[] zones)
    {
        var layout = new double[Cols * Rows];
        for (var row = 0; row < Rows; row++)
        for (var col = 0; col < Cols; col++)
        {
            double x = (col + 0.5) / Cols, y = (row + 0.5) / Rows;
            // The outermost cells see the background when a corner is a few pixels off: no vote.
            if (x < 0.03 || x > 0.97 || y < 0.04 || y > 0.96) continue;
            foreach (var zone in zones)
                if (x >= zone.X0 && x < zone.X1 && y >= zone.Y0 && y < zone.Y1) layout[row * Cols + col] += zone.Weight;
        }
        return layout;
    }
}
