using KtpFleet.Ocr;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Pipeline;

namespace KtpFleet.Worker;

/// <summary>Creates the OCR extractor with an engine pool of the worker's size, warm before the first job.</summary>
public static class ExtractorFactory
{
    /// <exception cref="KtpNativeException">Tesseract, the models or the shim are missing</exception>
    public static IKtpExtractor Create(WorkerOptions options) => KtpExtractor.Create(new OcrOptions
    {
        Engines = options.Engines,
        TessdataRoot = Environment.GetEnvironmentVariable("KTP_TESSDATA") is { Length: > 0 } root ? root : null,
        // The operator rolls a new model out by changing this on the Deployment.
        TessdataVersion = Environment.GetEnvironmentVariable("KTP_TESSDATA_VERSION") is { Length: > 0 } version ? version : TessdataSet.DefaultVersion,
    });
}
