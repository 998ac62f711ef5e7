using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Imaging;

namespace KtpFleet.Ocr;

/// <summary>How to build an extractor: which model version, from where, and how many engines.</summary>
public sealed record OcrOptions
{
    /// <summary>Directory holding <c>&lt;version&gt;/manifest.json</c>; null = <see cref="TessdataSet.LocateRoot"/>.</summary>
    public string? TessdataRoot { get; init; }
    public string TessdataVersion { get; init; } = TessdataSet.DefaultVersion;
    /// <summary>
    /// The model version that reads again what the first model doubted (<see cref="Recognition.SecondOpinion"/>),
    /// from the same root; null = none (each card read by one model, faster on photos, less exact).
    /// </summary>
    public string? SecondOpinionVersion { get; init; } = TessdataSet.SecondOpinionVersion;
    /// <summary>
    /// The model that settles values the first two read in doubt (<see cref="Recognition.ThirdOpinion"/>), from the
    /// same root; null = none. Used only with a second opinion.
    /// </summary>
    public string? ThirdOpinionVersion { get; init; } = TessdataSet.ThirdOpinionVersion;
    /// <summary>
    /// The model that reads a NIK row the glyph matcher doubted (<see cref="Recognition.NikOpinion"/>), from the same
    /// root; null = none (the glyph matcher's reading stands).
    /// </summary>
    public string? NikModelVersion { get; init; } = TessdataSet.NikModelVersion;
    /// <summary>Engines in the warm pool (and as many of each other model); 0 = one per core.</summary>
    public int Engines { get; init; }
    public ImageLimits Limits { get; init; } = ImageLimits.Default;
}
