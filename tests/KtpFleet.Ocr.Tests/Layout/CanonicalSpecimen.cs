using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Tests.Recognition;
using KtpFleet.Ocr.Tests.TestSupport;

namespace KtpFleet.Ocr.Tests.Layout;

/// <summary>A specimen (a tight crop of a card) resized to the canonical card, as gray pixels: the layout stage's input.</summary>
internal static class CanonicalSpecimen
{
    /// <param name="then">further ImageMagick steps on the canonical card (a turn, a blur)</param>
    public static RenderedGray Load(string name, params string[] then) =>
        RenderedGray.Convert(CanonicalCard.Width, CanonicalCard.Height, "white",
            [RepoPaths.Specimen(name + ".jpg"), "-resize", Size, "-composite", .. then]);

    /// <summary>The canonical card's size as ImageMagick geometry, exact (no aspect kept).</summary>
    private static string Size => $"{CanonicalCard.Width}x{CanonicalCard.Height}!";
}
