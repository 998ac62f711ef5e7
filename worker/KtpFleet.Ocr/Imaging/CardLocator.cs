using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// Finds the card in an upright photo (edge rings and the card's light-blue print, sides re-fitted at full
/// resolution). A scan or tight crop yields the whole frame, which is a valid answer, not a failure.
/// </summary>
public sealed class CardLocator
{
    public CardLocation Locate(ImageHandle image) => image.FindCard();
}
