using KtpFleet.Ocr;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Pipeline;

namespace KtpFleet.Worker;

/// <summary>Creates the OCR extractor with an engine pool of the worker's size, warm before the first job.</summary>
public static class ExtractorFactory
{
    /// <exception cref="KtpNativeException">Tesseract, the models or the shim are missing</exception>
    public static IKtpExtractor Create(WorkerOptions options)
    {
        var root = Environment.GetEnvironmentVariable("KTP_TESSDATA") is { Length: > 0 } r ? r : null;
        return KtpExtractor.Create(new OcrOptions
        {
            Engines = options.Engines,
            TessdataRoot = root,
            // The operator rolls a new model out by changing this on the Deployment.
            TessdataVersion = Environment.GetEnvironmentVariable("KTP_TESSDATA_VERSION") is { Length: > 0 } version ? version : TessdataSet.DefaultVersion,
            SecondOpinionVersion = SecondOpinionVersion(Environment.GetEnvironmentVariable("KTP_TESSDATA_SECOND_OPINION"), root),
            ThirdOpinionVersion = ThirdOpinionVersion(Environment.GetEnvironmentVariable("KTP_TESSDATA_THIRD_OPINION"), root),
            NikModelVersion = NikModelVersion(Environment.GetEnvironmentVariable("KTP_TESSDATA_NIK_MODEL"), root),
        });
    }

    /// <summary>
    /// <c>none</c> turns the second opinion off; a version named must be there (start-up fails clearly if not); by
    /// default it is used where the model set is present, so a model image holding only the first set still runs.
    /// </summary>
    public static string? SecondOpinionVersion(string? setting, string? root) => Optional(setting, root, TessdataSet.SecondOpinionVersion);

    /// <summary>The third opinion's model (<c>KTP_TESSDATA_THIRD_OPINION</c>), chosen as the second's is.</summary>
    public static string? ThirdOpinionVersion(string? setting, string? root) => Optional(setting, root, TessdataSet.ThirdOpinionVersion);

    /// <summary>The NIK model (<c>KTP_TESSDATA_NIK_MODEL</c>), chosen as the second opinion's is.</summary>
    public static string? NikModelVersion(string? setting, string? root) => Optional(setting, root, TessdataSet.NikModelVersion);

    private static string? Optional(string? setting, string? root, string fallback) => setting switch
    {
        "none" => null,
        { Length: > 0 } named => named,
        _ => TessdataSet.Exists(root, fallback) ? fallback : null,
    };
}
