using System.Buffers.Binary;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// EXIF tag 0x0112 (Orientation) from a JPEG's APP1 segment, and the transform that shows the image upright.
/// Phones store the sensor's pixels and record the rotation here instead of rotating them.
/// </summary>
public static class ExifOrientation
{
    private const ushort OrientationTag = 0x0112;

    /// <summary>
    /// How to display an image with this orientation value: rotate clockwise by QuarterTurns × 90°, then mirror
    /// left-right if Mirror. Values outside 1..8 are treated as 1.
    /// </summary>
    public static (int QuarterTurns, bool Mirror) ToUpright(int orientation) => orientation switch
    {
        2 => (0, true),
        3 => (2, false),
        4 => (2, true),  // vertical flip = 180° then left-right mirror
        5 => (1, true),  // transpose
        6 => (1, false),
        7 => (3, true),  // transverse
        8 => (3, false),
        _ => (0, false),
    };

    /// <summary>
    /// Reads the orientation from the payload of an APP1 segment ("Exif\0\0" + TIFF). Returns 1 when the segment
    /// is not EXIF, has no orientation, or is malformed: a broken EXIF block does not make the picture unusable.
    /// </summary>
    public static int ReadFromApp1(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 14 || !payload[..6].SequenceEqual("Exif\0\0"u8)) return 1;
        var tiff = payload[6..];
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I') little = true;
        else if (tiff[0] == 'M' && tiff[1] == 'M') little = false;
        else return 1;
        if (U16(tiff, 2, little) != 42) return 1;
        var ifd = U32(tiff, 4, little);
        if (ifd < 8 || ifd > tiff.Length - 2) return 1;
        int entries = U16(tiff, (int)ifd, little);
        for (var i = 0; i < entries; i++)
        {
            var entry = (int)ifd + 2 + i * 12;
            if (entry + 12 > tiff.Length) return 1;
            if (U16(tiff, entry, little) != OrientationTag) continue;
            // Type SHORT (3), count 1: the value sits left-justified in the 4-byte value field.
            if (U16(tiff, entry + 2, little) != 3) return 1;
            int value = U16(tiff, entry + 8, little);
            return value is >= 1 and <= 8 ? value : 1;
        }
        return 1;
    }

    private static ushort U16(ReadOnlySpan<byte> s, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(s[at..]) : BinaryPrimitives.ReadUInt16BigEndian(s[at..]);

    private static uint U32(ReadOnlySpan<byte> s, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(s[at..]) : BinaryPrimitives.ReadUInt32BigEndian(s[at..]);
}
