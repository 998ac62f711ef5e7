namespace KtpFleet.Ocr.Imaging;

/// <summary>Binarisation: Otsu's global threshold, or a Gaussian-weighted local mean (for uneven light).</summary>
public enum ThresholdMethod
{
    Otsu,
    Adaptive,
}

/// <summary>
/// Text line finding on a card image. Zero means "derive from the image": closing width = width / 60, minimum line
/// height = height / 100, maximum = height / 8 (on the 1000×630 canonical card: 16, 6 and 78 px).
/// </summary>
public sealed record TextLineOptions
{
    public static TextLineOptions Default { get; } = new();

    /// <summary>Horizontal gap (px) bridged between letters and words of one line.</summary>
    public int CloseWidth { get; init; }
    public int MinHeight { get; init; }
    public int MaxHeight { get; init; }
    public int MinWidth { get; init; }
}
