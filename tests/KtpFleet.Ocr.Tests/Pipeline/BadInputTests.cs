using KtpFleet.Ocr.Tests.TestSupport;

namespace KtpFleet.Ocr.Tests.Pipeline;

/// <summary>Bad uploads through the whole extractor: a typed error each, and the pool keeps serving good cards.</summary>
public sealed class BadInputTests(SharedExtractor shared) : IClassFixture<SharedExtractor>
{
    public static TheoryData<string, ImageErrorCode> Cases => new()
    {
        { "empty", ImageErrorCode.Empty },
        { "text", ImageErrorCode.UnsupportedFormat },
        { "truncated-jpeg", ImageErrorCode.Corrupt },
        { "huge-png-header", ImageErrorCode.TooLargePixels },
        { "one-pixel", ImageErrorCode.TooSmall },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_bad_upload_gets_its_typed_error_and_the_next_card_is_still_read(string kind, ImageErrorCode expected)
    {
        var error = await Assert.ThrowsAsync<KtpImageException>(() => shared.Extractor.ExtractAsync(Make(kind)));
        Assert.Equal(expected, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));

        var good = await shared.Extractor.ExtractAsync(await File.ReadAllBytesAsync(RepoPaths.Specimen("setiawan.jpg")));
        Assert.Equal("6112032206820000", good.Fields["nik"].Value);
        Assert.Equal(shared.Extractor.Pool.Size, shared.Extractor.Pool.Idle);
        Assert.Equal(shared.Extractor.SecondOpinionPool!.Size, shared.Extractor.SecondOpinionPool.Idle);
        Assert.Equal(shared.Extractor.ThirdOpinionPool!.Size, shared.Extractor.ThirdOpinionPool.Idle);
        Assert.Equal(shared.Extractor.NikModelPool!.Size, shared.Extractor.NikModelPool.Idle);
    }

    [Fact]
    public async Task A_failure_while_a_card_is_read_retires_its_engine_and_bad_input_does_not()
    {
        var pool = shared.Extractor.Pool;
        var before = pool.Replaced;
        await Assert.ThrowsAsync<KtpImageException>(() => shared.Extractor.ExtractAsync(Make("truncated-jpeg")));
        Assert.Equal(before, pool.Replaced);

        // A debug directory that is a file fails the extraction half-way, after the engine was lent.
        var blocked = Path.Combine(Magick.NewScratchDirectory("retire"), "not-a-directory");
        await File.WriteAllTextAsync(blocked, "");
        var card = await File.ReadAllBytesAsync(RepoPaths.Specimen("setiawan.jpg"));
        await Assert.ThrowsAsync<IOException>(() => shared.Extractor.ExtractAsync(card, new ExtractOptions { DebugDirectory = blocked }));
        Assert.Equal(before + 1, pool.Replaced);

        Assert.Equal("6112032206820000", (await shared.Extractor.ExtractAsync(card)).Fields["nik"].Value);
        Assert.True(pool.IsHealthy);
        Assert.Equal(pool.Size, pool.Idle);
    }

    private static byte[] Make(string kind)
    {
        var dir = Magick.NewScratchDirectory("bad-input");
        switch (kind)
        {
            case "empty":
                return [];
            case "text":
                return "NIK: 3174062508900013\nthis is not an image\n"u8.ToArray();
            case "truncated-jpeg":
            {
                var jpeg = File.ReadAllBytes(RepoPaths.Specimen("abdurrahman-hadin.jpg"));
                return jpeg[..(jpeg.Length / 2)];
            }
            case "huge-png-header":
            {
                // A real PNG whose header claims 30000×30000: refused from the header, never allocated.
                var path = Path.Combine(dir, "small.png");
                Magick.Convert("-size", "300x200", "xc:white", path);
                var png = File.ReadAllBytes(path);
                WriteBigEndian(png, 16, 30000);
                WriteBigEndian(png, 20, 30000);
                return png;
            }
            case "one-pixel":
            {
                var path = Path.Combine(dir, "one.png");
                Magick.Convert("-size", "1x1", "xc:white", path);
                return File.ReadAllBytes(path);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static void WriteBigEndian(byte[] bytes, int offset, int value)
    {
        bytes[offset] = (byte)(value >> 24);
        bytes[offset + 1] = (byte)(value >> 16);
        bytes[offset + 2] = (byte)(value >> 8);
        bytes[offset + 3] = (byte)value;
    }
}
