using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Imaging;

namespace KtpFleet.Ocr;

/// <summary>How to build an extractor: which model version, from where, and how many engines.</summary>
public sealed record OcrOptions
{
    /// <summary>Directory holding <c>&lt;version&gt;/manifest.json</c>; null = <see cref="TessdataSet.LocateRoot"/>.</summary>
    public string? TessdataRoot { get; init; }
    public string TessdataVersion { get; init; } = TessdataSet.DefaultVersion;
    /// <summary>Engines in the warm pool; 0 = one per core.</summary>
    public int Engines { get; init; }
    public ImageLimits Limits { get; init; } = ImageLimits.Default;
}
