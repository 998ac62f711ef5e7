using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Imaging;

/// <summary>Warps the located card to the canonical <see cref="CanonicalCard.Width"/>×<see cref="CanonicalCard.Height"/> frame, long side horizontal.</summary>
public sealed class CardRectifier
{
    /// <param name="quad">Corner 0 → 1 must be a long side (as <see cref="CardLocator"/> returns it).</param>
    public ImageHandle Rectify(ImageHandle image, Quad quad) => image.Warp(quad, CanonicalCard.Width, CanonicalCard.Height);
}
