using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace KtpFleet.Fleet.Tests.Infrastructure;

/// <summary>Generated PNGs (noise, so every image is unique and about width*height*3 bytes).</summary>
public static class TestImages
{
    public static byte[] NoisePng(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var raw = new byte[(width * 3 + 1) * height];
        rng.NextBytes(raw);
        for (var y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0; // filter type "none"
        using var z = new MemoryStream();
        using (var zlib = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(raw);
        return Png(width, height, z.ToArray());
    }

    /// <summary>
    /// A white page with one unique noise square: a valid image the OCR pipeline fully processes (and rejects as not a
    /// card) in tens of milliseconds, for runs where the fleet, not OCR, is under test.
    /// </summary>
    public static byte[] BlankWithNoise(int width, int height, int noiseSide, int seed)
    {
        var rng = new Random(seed);
        var stride = width * 3 + 1;
        var raw = new byte[stride * height];
        Array.Fill(raw, (byte)0xFF);
        for (var y = 0; y < height; y++)
        {
            raw[y * stride] = 0;
            if (y >= 16 && y < 16 + noiseSide) rng.NextBytes(raw.AsSpan(y * stride + 1 + 16 * 3, noiseSide * 3));
        }
        using var z = new MemoryStream();
        using (var zlib = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(raw);
        return Png(width, height, z.ToArray());
    }

    /// <summary>The same JPEG with a unique comment segment after SOI: identical pixels, distinct bytes (and hash).</summary>
    public static byte[] WithJpegComment(byte[] jpeg, string comment)
    {
        var text = Encoding.ASCII.GetBytes(comment);
        var segment = new byte[4 + text.Length];
        segment[0] = 0xFF;
        segment[1] = 0xFE;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(text.Length + 2));
        text.CopyTo(segment, 4);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    public static string SpecimenDir
    {
        get
        {
            // ../shared beside the repository (CI lays out shared/ the same way).
            var dir = Path.GetFullPath(Path.Combine(Services.RepoRoot, "..", "shared", "data", "samples", "specimens"));
            return Directory.Exists(dir) ? dir : throw new DirectoryNotFoundException($"specimens not found at {dir}");
        }
    }

    /// <summary>A valid PNG header claiming a huge size (a decompression bomb shape) with a tiny body.</summary>
    public static byte[] HugeClaimPng(int width, int height)
    {
        using var z = new MemoryStream();
        using (var zlib = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(new byte[20_000]);
        return Png(width, height, z.ToArray());
    }

    private static byte[] Png(int width, int height, byte[] idat)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", idat);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = Crc32(typeBytes.Concat(data).ToArray());
        BinaryPrimitives.WriteUInt32BigEndian(len, crc);
        s.Write(len);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
