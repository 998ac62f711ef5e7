using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace KtpFleet.LoadBench;

/// <summary>
/// Upload payloads of a chosen size, each unique (so dedupe does not short-circuit them): one incompressible PNG
/// made once, and per upload a copy with a distinct tEXt chunk after IHDR. Cheap enough not to load the client.
/// </summary>
public sealed class UniqueImages
{
    private readonly byte[] _png;
    private const int AfterIhdr = 8 + 25;

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
        Chunk(png, "IDAT", z.ToArray());
        Chunk(png, "IEND", []);
        _png = png.ToArray();
    }

    public int Size => _png.Length;

    public byte[] Next(long n)
    {
        using var chunk = new MemoryStream();
        Chunk(chunk, "tEXt", Encoding.ASCII.GetBytes($"bench\0{n}-{Guid.NewGuid():N}"));
        var c = chunk.ToArray();
        var result = new byte[_png.Length + c.Length];
        _png.AsSpan(0, AfterIhdr).CopyTo(result);
        c.CopyTo(result, AfterIhdr);
        _png.AsSpan(AfterIhdr).CopyTo(result.AsSpan(AfterIhdr + c.Length));
        return result;
    }

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
