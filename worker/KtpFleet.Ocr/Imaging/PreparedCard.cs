using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// The upright canonical card and how it was obtained. Owns <see cref="Card"/>: dispose the PreparedCard (not the
/// handle) when recognition is done.
/// </summary>
public sealed class PreparedCard : IDisposable
{
    internal PreparedCard(ImageHandle card, ImageHeader source, CardLocation location, Quad quad,
        OrientationDecision orientation, IReadOnlyDictionary<string, double> timingsMs)
    {
        Card = card;
        Source = source;
        Location = location;
        Quad = quad;
        Orientation = orientation;
        TimingsMs = timingsMs;
    }

    /// <summary>1000×630, upright; BGR, or gray when the upload was gray.</summary>
    public ImageHandle Card { get; }
    /// <summary>Format, stored size and EXIF orientation of the upload.</summary>
    public ImageHeader Source { get; }
    /// <summary>The finder's answer (corner order as found, before orientation).</summary>
    public CardLocation Location { get; }
    /// <summary>The card in the EXIF-upright image, corner 0 = the card's top-left, clockwise.</summary>
    public Quad Quad { get; }
    public OrientationDecision Orientation { get; }
    /// <summary>decode, locate_card, rectify, orient (milliseconds).</summary>
    public IReadOnlyDictionary<string, double> TimingsMs { get; }

    /// <summary>Clockwise rotation of the card in the EXIF-upright image, to the nearest quarter turn (0, 90, 180, 270).</summary>
    public int CardRotationDegrees
    {
        get
        {
            var angle = Math.Atan2(Quad.C1.Y - Quad.C0.Y, Quad.C1.X - Quad.C0.X) * 180 / Math.PI;
            return (int)((Math.Round(angle / 90) * 90 % 360 + 360) % 360);
        }
    }

    public void Dispose() => Card.Dispose();
}
