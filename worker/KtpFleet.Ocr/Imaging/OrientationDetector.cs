using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// Decides 0° vs 180° for a rectified (landscape) card by matching where ink is against the KTP layout: the
/// left-aligned label column and the large NIK line on the left, the header centred on top, the photo and the
/// issuing city on the right, and the corners that stay blank. The layout is compared with the image as it is and
/// turned half round; the better match wins, and the gap between the two is the confidence.
/// </summary>
public sealed class OrientationDetector
{
    private const int Cols = 40;
    private const int Rows = 25;

    // Zones of the upright card as fractions (x0, x1, y0, y1) and how strongly ink is expected there (+) or not (−).
    private static readonly (double X0, double X1, double Y0, double Y1, double Weight)[] Zones =
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

    private static readonly double[] Layout = BuildLayout();

    public OrientationDecision Detect(ImageHandle card)
    {
        float[] ink;
        using (var normalized = card.NormalizeBackground()) ink = normalized.InkGrid(Cols, Rows);
        var mean = ink.Average();
        double upright = 0, turned = 0;
        for (var i = 0; i < ink.Length; i++)
        {
            upright += Layout[i] * (ink[i] - mean);
            turned += Layout[ink.Length - 1 - i] * (ink[i] - mean); // the layout turned 180° = the image turned
        }
        var spread = Math.Abs(upright) + Math.Abs(turned);
        var confidence = spread < 1e-9 ? 0 : Math.Min(1, Math.Abs(upright - turned) / spread);
        return new OrientationDecision(turned > upright, confidence, upright, turned);
    }

    private static double[] BuildLayout()
    {
        var layout = new double[Cols * Rows];
        for (var row = 0; row < Rows; row++)
        for (var col = 0; col < Cols; col++)
        {
            double x = (col + 0.5) / Cols, y = (row + 0.5) / Rows;
            foreach (var zone in Zones)
                if (x >= zone.X0 && x < zone.X1 && y >= zone.Y0 && y < zone.Y1) layout[row * Cols + col] += zone.Weight;
        }
        return layout;
    }
}
