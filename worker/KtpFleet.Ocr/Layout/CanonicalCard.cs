namespace KtpFleet.Ocr.Layout;

/// <summary>
/// The size every card is rectified to before fields are located. ID-1 is 85.60 × 53.98 mm (aspect 1.586);
/// 1000 px wide puts value text at a cap height Tesseract's LSTM reads well without wasting time on pixels.
/// Ground-truth field boxes of the synthetic corpus use this coordinate system too.
/// </summary>
public static class CanonicalCard
{
    public const int Width = 1000;
    public const int Height = 630;
    public const double Aspect = 85.60 / 53.98;
}
