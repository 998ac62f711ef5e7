using System.Drawing;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// Four corners in pixel coordinates of an image, clockwise. Once orientation is known, corner 0 is the card's
/// top-left; before that it only starts one of the two long sides.
/// </summary>
public readonly record struct Quad(PointF C0, PointF C1, PointF C2, PointF C3)
{
    public PointF this[int index] => (index & 3) switch { 0 => C0, 1 => C1, 2 => C2, _ => C3 };

    /// <summary>The same quadrilateral with the corner labels moved on by <paramref name="steps"/> (clockwise).</summary>
    public Quad Shifted(int steps) => new(this[steps], this[steps + 1], this[steps + 2], this[steps + 3]);

    public static Quad FullFrame(int width, int height) =>
        new(new PointF(0, 0), new PointF(width, 0), new PointF(width, height), new PointF(0, height));

    /// <summary>Area by the shoelace formula (positive for clockwise corners in y-down image coordinates).</summary>
    public double Area()
    {
        double sum = 0;
        for (var i = 0; i < 4; i++) sum += (double)this[i].X * this[i + 1].Y - (double)this[i + 1].X * this[i].Y;
        return sum / 2;
    }

    public override string ToString()
    {
        var self = this;
        return string.Join(" ", Enumerable.Range(0, 4).Select(i => FormattableString.Invariant($"({self[i].X:0.#},{self[i].Y:0.#})")));
    }
}
