namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// Whether a rectified card is upside down. <see cref="Confidence"/> is 0 (a coin toss) .. 1 (unmistakable);
/// below ~0.3 the recognition stage should confirm with OCR. Scores are the layout match of each reading.
/// </summary>
public sealed record OrientationDecision(bool UpsideDown, double Confidence, double UprightScore, double UpsideDownScore);
