using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr;

/// <summary>Turns one KTP image (the encoded file bytes) into a result document. Thread-safe.</summary>
public interface IKtpExtractor
{
    /// <exception cref="KtpImageException">the input is not a usable image</exception>
    Task<KtpResult> ExtractAsync(ReadOnlyMemory<byte> image, ExtractOptions? options = null, CancellationToken ct = default);
}

/// <summary>Per-call options. <see cref="DebugDirectory"/> receives intermediate images (rectified card, field crops).</summary>
public sealed record ExtractOptions
{
    public string? DebugDirectory { get; init; }
    /// <summary>Thresholds for the verdict; null means <see cref="Verdicts.VerdictPolicy.Default"/>.</summary>
    public Verdicts.VerdictPolicy? Policy { get; init; }
}
