using KtpFleet.Ocr.Native;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// Validates upload bytes against <see cref="ImageLimits"/> from the headers alone, then decodes (Leptonica, in the
/// shim) and applies the EXIF orientation. Every refusal is a <see cref="KtpImageException"/> with its code.
/// </summary>
public sealed class ImageDecoder(ImageLimits? limits = null)
{
    public ImageLimits Limits { get; } = limits ?? ImageLimits.Default;

    public DecodedImage Decode(ReadOnlySpan<byte> data)
    {
        var header = Validate(data);
        var image = ImageHandle.Decode(data);
        try
        {
            if (image.Width != header.Width || image.Height != header.Height)
                throw ImageHeaderReader.Corrupt($"decoded size {image.Width}×{image.Height} differs from the header's {header.Width}×{header.Height}");
            var (turns, mirror) = ExifOrientation.ToUpright(header.ExifOrientation);
            if (turns == 0 && !mirror) return new DecodedImage(image, header);
            using (image) return new DecodedImage(image.Orient(turns, mirror), header);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>All checks that need no decoding: format, size in bytes and pixels, completeness.</summary>
    public ImageHeader Validate(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) throw new KtpImageException(ImageErrorCode.Empty, "the upload is empty");
        if (data.Length > Limits.MaxBytes)
            throw new KtpImageException(ImageErrorCode.TooLargeBytes, $"image is {data.Length} bytes; the limit is {Limits.MaxBytes}");
        var header = ImageHeaderReader.Read(data);
        if (header.Pixels > Limits.MaxPixels)
            throw new KtpImageException(ImageErrorCode.TooLargePixels,
                $"image is {header.Width}×{header.Height} ({header.Pixels} px); the limit is {Limits.MaxPixels} px");
        int longSide = Math.Max(header.Width, header.Height), shortSide = Math.Min(header.Width, header.Height);
        if (longSide < Limits.MinLongSide || shortSide < Limits.MinShortSide)
            throw new KtpImageException(ImageErrorCode.TooSmall,
                $"image is {header.Width}×{header.Height}; at least {Limits.MinLongSide}×{Limits.MinShortSide} is needed to read a card");
        if (data.Length < Limits.MinBytes)
            throw new KtpImageException(ImageErrorCode.TooSmall, $"image is only {data.Length} bytes; at least {Limits.MinBytes} are needed");
        return header;
    }
}
