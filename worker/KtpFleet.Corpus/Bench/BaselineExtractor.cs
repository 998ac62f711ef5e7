using System.Diagnostics;
using KtpFleet.Ocr;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Corpus.Bench;

/// <summary>
/// What most public KTP OCR projects do, as the benchmark's point of comparison: decode, grayscale, one
/// Tesseract pass over the whole image (<c>ind</c>, PSM 6), regex parsing. No card finding, no rectification,
/// no per-field recognition, no checks. Every present field gets the page's mean confidence.
/// </summary>
public sealed class BaselineExtractor(EnginePool pool) : IKtpExtractor, IDisposable
{
    private static readonly ImageDecoder Decoder = new();
    private static readonly RecognitionSettings WholePage = new() { Mode = PageSegMode.SingleBlock, Words = false };

    public static BaselineExtractor Create(int engines, string? tessdataRoot = null, string tessdataVersion = TessdataSet.DefaultVersion) =>
        new(new EnginePool(TessdataSet.Load(tessdataRoot, tessdataVersion), engines));

    public async Task<KtpResult> ExtractAsync(ReadOnlyMemory<byte> image, ExtractOptions? options = null, CancellationToken ct = default)
    {
        var timings = new Dictionary<string, double>();
        var watch = Stopwatch.StartNew();
        using var decoded = Decoder.Decode(image.Span);
        using var gray = decoded.Image.ToGray();
        timings["decode"] = Lap(watch);

        OcrPage page;
        using (var lease = await pool.RentAsync(ct).ConfigureAwait(false))
        using (var pixels = gray.UsePixels())
        {
            page = lease.Engine.Recognize(new GrayImageView(pixels.Data, pixels.Width, pixels.Height, pixels.Stride), WholePage);
        }
        timings["recognise"] = Lap(watch);

        var values = BaselineParser.Parse(page.Text);
        var confidence = Math.Clamp(page.MeanConfidence / 100.0, 0, 1);
        var fields = values.ToDictionary(kv => kv.Key, kv => new FieldResult(kv.Value, kv.Value is null ? 0 : confidence, kv.Value, null));
        timings["parse"] = Lap(watch);

        return new KtpResult
        {
            Fields = fields,
            Checks = [],
            Verdict = new VerdictResult(Verdict.NeedsReview, ["baseline: no verification"]),
            Engine = new EngineInfo(TesseractEngine.LibraryVersion, pool.TessdataVersion, "baseline-whole-image-psm6"),
            TimingsMs = timings,
        };
    }

    public void Dispose() => pool.Dispose();

    private static double Lap(Stopwatch watch)
    {
        var ms = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        return Math.Round(ms, 2);
    }
}
