using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Tests.Recognition;
using KtpFleet.Ocr.Tests.TestSupport;

namespace KtpFleet.Ocr.Tests.Layout;

/// <summary>A specimen (a tight crop of a card) resized to the canonical card, as gray pixels: the layout stage's input.</summary>
internal static class CanonicalSpecimen
{
    public static RenderedGray Load(string name) =>
        RenderedGray.Convert(CanonicalCard.Width, CanonicalCard.Height, "white",
            RepoPaths.Specimen(name + ".jpg"), "-resize", $"{CanonicalCard.Width}x{CanonicalCard.Height}!", "-composite");
}
