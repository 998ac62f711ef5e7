using System.Buffers.Binary;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// WebP: the RIFF length tells whether the file is complete; the first chunk (VP8 lossy, VP8L lossless, VP8X
/// extended) carries the canvas size. EXIF orientation in WebP is not applied (Android writes upright pixels).
/// </summary>
internal static class WebPHeaderReader
{
    public static ImageHeader Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < 30) throw ImageHeaderReader.Corrupt("WebP is truncated inside its headers");
        var riffLength = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (riffLength + 8L > data.Length) throw ImageHeaderReader.Corrupt("WebP is truncated (shorter than its RIFF length)");
        var chunk = data.Slice(12, 4);
        var body = data[20..];
        int width, height;
        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (body[3] != 0x9D || body[4] != 0x01 || body[5] != 0x2A) throw ImageHeaderReader.Corrupt("WebP VP8 start code missing");
            width = BinaryPrimitives.ReadUInt16LittleEndian(body[6..]) & 0x3FFF;
            height = BinaryPrimitives.ReadUInt16LittleEndian(body[8..]) & 0x3FFF;
        }
        else if (chunk.SequenceEqual("VP8L"u8))
        {
            if (body[0] != 0x2F) throw ImageHeaderReader.Corrupt("WebP VP8L signature missing");
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(body[1..]);
            width = (int)(bits & 0x3FFF) + 1;
            height = (int)((bits >> 14) & 0x3FFF) + 1;
        }
        else if (chunk.SequenceEqual("VP8X"u8))
        {
            width = (body[4] | body[5] << 8 | body[6] << 16) + 1;
            height = (body[7] | body[8] << 8 | body[9] << 16) + 1;
        }
        else
        {
            throw ImageHeaderReader.Corrupt("WebP without a known image chunk");
        }
        if (width == 0 || height == 0) throw ImageHeaderReader.Corrupt("WebP declares no size");
        return new ImageHeader(ImageFormat.WebP, width, height);
    }
}
