namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// Accepted encodings. WebP is accepted: Debian's Leptonica decodes it (libwebp), Android apps upload it, and its
/// RIFF header gives the size up front like PNG's. GIF, TIFF, BMP, HEIC are refused as unsupported: no camera or
/// scanner pipeline we serve produces them, and each adds decoder surface (TIFF: multi-page, exotic compressions).
/// </summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
}

/// <summary>What the file header says, read without decoding pixels. <see cref="ExifOrientation"/> is 1..8 (1 = as stored).</summary>
public sealed record ImageHeader(ImageFormat Format, int Width, int Height, int ExifOrientation = 1)
{
    public long Pixels => (long)Width * Height;
}
