using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace KtpFleet.LoadBench;

/// <summary>
/// Upload payloads of a chosen size, each unique (so dedupe does not short-circuit them): one incompressible PNG
/// with a tEXt chunk of fixed length after IHDR, whose text (and CRC) is rewritten in place per upload. Stamping
/// touches 60 bytes, so the client spends its CPU on sending, not on making payloads.
/// </summary>
public sealed class UniqueImages
{
    private const int AfterIhdr = 8 + 25;
    private static readonly byte[] TextType = "tEXt"u8.ToArray();
    private static readonly int TextLength = Text(0).Length;
    private readonly byte[] _png;

    public UniqueImages(int targetBytes)
    {
        var side = (int)Math.Sqrt(targetBytes / 3.0);
        var rng = new Random(1);
        var raw = new byte[(side * 3 + 1) * side];
        rng.NextBytes(raw);
        for (var y = 0; y < side; y++) raw[y * (side * 3 + 1)] = 0;
        using var z = new MemoryStream();
        using (var zlib = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(raw);
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, side);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), side);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "tEXt", Text(0));
        Chunk(png, "IDAT", z.ToArray());
        Chunk(png, "IEND", []);
        _png = png.ToArray();
    }

    public int Size => _png.Length;

    /// <summary>Copies the template into <paramref name="destination"/> (at least <see cref="Size"/> bytes).</summary>
    public void CopyTo(Span<byte> destination) => _png.CopyTo(destination);

    /// <summary>Makes the image at the start of <paramref name="png"/> (a <see cref="CopyTo"/> copy) unique as upload <paramref name="n"/>.</summary>
    public static void Stamp(Span<byte> png, long n)
    {
        var data = png.Slice(AfterIhdr + 8, TextLength);
        Text(n).CopyTo(data);
        BinaryPrimitives.WriteUInt32BigEndian(png[(AfterIhdr + 8 + TextLength)..], System.IO.Hashing.Crc32Compat.Compute(TextType, data));
    }

    // Fixed length whatever n is (negative n are warm-up uploads): the chunk is rewritten in place.
    private static byte[] Text(long n) => Encoding.ASCII.GetBytes($"bench\0{n,20}-{Guid.NewGuid():N}");

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(len, System.IO.Hashing.Crc32Compat.Compute(typeBytes, data));
        s.Write(len);
    }
}
