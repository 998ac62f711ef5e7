namespace KtpFleet.Ocr;

/// <summary>Why an input image was refused. The snake_case form is the stable error code of the API and CLI.</summary>
public enum ImageErrorCode
{
    Empty,
    UnsupportedFormat,
    Corrupt,
    TooSmall,
    TooLargeBytes,
    TooLargePixels,
    NotACard,
}

/// <summary>A typed, permanent failure of one input: retrying the same bytes will fail the same way.</summary>
public sealed class KtpImageException(ImageErrorCode code, string message) : Exception(message)
{
    public ImageErrorCode Code { get; } = code;

    /// <summary>Stable machine-readable code, e.g. <c>too_large_pixels</c>.</summary>
    public string ErrorCode => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(Code.ToString());
}

/// <summary>The native runtime (libtesseract, a traineddata file, the OpenCV shim) is missing or broken.</summary>
public sealed class KtpNativeException(string message, Exception? inner = null) : Exception(message, inner);
