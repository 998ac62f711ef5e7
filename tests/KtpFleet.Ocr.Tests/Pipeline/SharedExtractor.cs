using KtpFleet.Ocr.Pipeline;

namespace KtpFleet.Ocr.Tests.Pipeline;

/// <summary>One warm extractor for the pipeline tests (engine start-up is the slow part; the pool is thread-safe).</summary>
public sealed class SharedExtractor : IDisposable
{
    public KtpExtractor Extractor { get; } = KtpExtractor.Create(new OcrOptions { Engines = 2 });
    public void Dispose() => Extractor.Dispose();
}
