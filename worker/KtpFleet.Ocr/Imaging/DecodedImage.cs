using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Imaging;

/// <summary>A decoded image shown upright (EXIF applied), with the header it came from. Owns <see cref="Image"/>.</summary>
public sealed class DecodedImage(ImageHandle image, ImageHeader header) : IDisposable
{
    public ImageHandle Image { get; } = image;
    public ImageHeader Header { get; } = header;

    public void Dispose() => Image.Dispose();
}
