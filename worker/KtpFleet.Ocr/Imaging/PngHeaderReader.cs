using System.Buffers.Binary;

namespace KtpFleet.Ocr.Imaging;

/// <summary>PNG: the IHDR chunk (always first) gives the size; a complete file ends with the IEND chunk.</summary>
internal static class PngHeaderReader
{
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageHeader Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8 + 25 || !data.Slice(12, 4).SequenceEqual("IHDR"u8) || BinaryPrimitives.ReadUInt32BigEndian(data[8..]) != 13)
            throw ImageHeaderReader.Corrupt("PNG without a valid IHDR header");
        var width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            throw ImageHeaderReader.Corrupt("PNG header declares an impossible size");
        // IEND: 4-byte length 0, "IEND", CRC. Allow a few stray bytes after it; a cut-off file has none of it.
        var tail = data[Math.Max(0, data.Length - 64)..];
        if (tail.IndexOf("IEND"u8) < 0) throw ImageHeaderReader.Corrupt("PNG is truncated (no IEND chunk)");
        return new ImageHeader(ImageFormat.Png, (int)width, (int)height);
    }
}
