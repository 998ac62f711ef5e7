namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// Identifies the real format from the bytes (never the file name) and reads size, completeness and EXIF orientation
/// from the headers, without decoding pixels.
/// </summary>
public static class ImageHeaderReader
{
    /// <exception cref="KtpImageException">Empty, UnsupportedFormat or Corrupt</exception>
    public static ImageHeader Read(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) throw new KtpImageException(ImageErrorCode.Empty, "the upload is empty");
        if (data.StartsWith(PngHeaderReader.Signature)) return PngHeaderReader.Read(data);
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return JpegHeaderReader.Read(data);
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8)) return WebPHeaderReader.Read(data);
        throw new KtpImageException(ImageErrorCode.UnsupportedFormat, $"not a JPEG, PNG or WebP image ({Describe(data)})");
    }

    private static string Describe(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("GIF8"u8)) return "GIF";
        if (data.StartsWith("BM"u8)) return "BMP";
        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8)) return "TIFF";
        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8)) return "HEIF/MP4 family";
        if (data.StartsWith("%PDF"u8)) return "PDF";
        var sample = data[..Math.Min(data.Length, 512)];
        var text = true;
        foreach (var b in sample) text &= b is 9 or 10 or 13 || (b >= 32 && b != 127) ;
        return text ? "text" : "unknown binary data";
    }

    internal static KtpImageException Corrupt(string message) => new(ImageErrorCode.Corrupt, message);
}
