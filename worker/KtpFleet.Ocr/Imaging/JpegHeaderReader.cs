using System.Buffers.Binary;

namespace KtpFleet.Ocr.Imaging;

/// <summary>
/// JPEG: walks the marker segments up to the first scan for the frame size (SOFn) and the EXIF orientation (APP1),
/// then checks the entropy-coded data is followed by an end-of-image marker. libjpeg would otherwise pad a
/// truncated file with gray rows and report success.
/// </summary>
internal static class JpegHeaderReader
{
    public static ImageHeader Read(ReadOnlySpan<byte> data)
    {
        var position = 2;
        int width = 0, height = 0, orientation = 1;
        while (true)
        {
            if (position + 4 > data.Length) throw ImageHeaderReader.Corrupt("JPEG is truncated inside its headers");
            if (data[position] != 0xFF) throw ImageHeaderReader.Corrupt("JPEG marker expected");
            var marker = data[position + 1];
            if (marker == 0xFF) { position++; continue; } // fill byte
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { position += 2; continue; } // no length
            if (marker == 0xD9) throw ImageHeaderReader.Corrupt("JPEG ends before any image data");
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (length < 2 || position + 2 + length > data.Length) throw ImageHeaderReader.Corrupt("JPEG is truncated inside its headers");
            var payload = data.Slice(position + 4, length - 2);
            if (IsStartOfFrame(marker))
            {
                if (payload.Length < 6) throw ImageHeaderReader.Corrupt("JPEG frame header is too short");
                height = BinaryPrimitives.ReadUInt16BigEndian(payload[1..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(payload[3..]);
                if (width == 0 || height == 0) throw ImageHeaderReader.Corrupt("JPEG frame declares no size");
            }
            else if (marker == 0xE1 && orientation == 1)
            {
                orientation = ExifOrientation.ReadFromApp1(payload);
            }
            position += 2 + length;
            if (marker == 0xDA) break; // start of scan: entropy-coded data follows
        }
        if (width == 0) throw ImageHeaderReader.Corrupt("JPEG has no frame header");
        // Entropy-coded data escapes 0xFF as FF 00, so FF D9 after the scan can only be the end-of-image marker.
        if (data[position..].LastIndexOf([(byte)0xFF, (byte)0xD9]) < 0)
            throw ImageHeaderReader.Corrupt("JPEG is truncated (no end-of-image marker)");
        return new ImageHeader(ImageFormat.Jpeg, width, height, orientation);
    }

    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    private static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
}
