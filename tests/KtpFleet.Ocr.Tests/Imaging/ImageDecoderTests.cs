using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Native;
using KtpFleet.Ocr.Tests.TestSupport;

namespace KtpFleet.Ocr.Tests.Imaging;

/// <summary>The bad-input matrix and EXIF orientation, on real files made by ImageMagick or forged byte by byte.</summary>
public sealed class ImageDecoderTests(SyntheticCardScenes scenes) : IClassFixture<SyntheticCardScenes>
{
    private readonly ImageDecoder _decoder = new();

    private static byte[] Specimen => File.ReadAllBytes(RepoPaths.Specimen("setiawan.jpg"));

    [Fact]
    public void Decodes_a_specimen_jpeg_to_its_header_size_in_colour()
    {
        using var decoded = _decoder.Decode(Specimen);
        Assert.Equal(ImageFormat.Jpeg, decoded.Header.Format);
        Assert.Equal((874, 557, 3), (decoded.Image.Width, decoded.Image.Height, decoded.Image.Channels));
    }

    [Fact]
    public void Refuses_an_empty_upload() => AssertRefused(ImageErrorCode.Empty, []);

    [Fact]
    public void Refuses_a_text_file_whatever_its_name()
    {
        var text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("NIK 3204123456780001 is not an image\n", 80)));
        var error = AssertRefused(ImageErrorCode.UnsupportedFormat, text);
        Assert.Contains("text", error.Message);
        Assert.Equal("unsupported_format", error.ErrorCode);
    }

    [Fact]
    public void Refuses_a_gif_as_unsupported()
    {
        var gif = scenes.Derive("card.gif", scenes.CardPng, "-resize", "50%");
        AssertRefused(ImageErrorCode.UnsupportedFormat, File.ReadAllBytes(gif));
    }

    [Fact]
    public void Refuses_a_truncated_jpeg_from_its_headers()
    {
        var bytes = Specimen;
        AssertRefused(ImageErrorCode.Corrupt, bytes[..(bytes.Length * 6 / 10)]);
        AssertRefused(ImageErrorCode.Corrupt, bytes[..300]); // cut inside the header segments
    }

    [Fact]
    public void Refuses_a_truncated_jpeg_even_with_an_end_marker_glued_on()
    {
        // Passes the header walk; only the decoder can tell, and libjpeg would pad gray rows unless told to fail.
        var bytes = Specimen;
        byte[] forged = [.. bytes.AsSpan(0, bytes.Length / 2), 0xFF, 0xD9];
        var error = AssertRefused(ImageErrorCode.Corrupt, forged);
        Assert.Contains("decode", error.Message);
    }

    [Fact]
    public void Refuses_a_png_with_damaged_pixel_data()
    {
        var png = File.ReadAllBytes(scenes.CardPng);
        var damaged = (byte[])png.Clone();
        for (var i = png.Length / 2; i < png.Length / 2 + 64; i++) damaged[i] ^= 0x5A;
        AssertRefused(ImageErrorCode.Corrupt, damaged);
        AssertRefused(ImageErrorCode.Corrupt, png[..(png.Length / 2)]); // truncated: no IEND
    }

    [Fact]
    public void Refuses_a_30000_by_30000_png_from_its_header_without_allocating_it()
    {
        var bomb = TestImages.PngWithHeader(30000, 30000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = AssertRefused(ImageErrorCode.TooLargePixels, bomb);

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
        Assert.Contains("30000×30000", error.Message);
    }

    [Fact]
    public void Refuses_a_one_pixel_image_as_too_small()
    {
        var tiny = scenes.Derive("tiny.png", "xc:red", "-resize", "1x1!");
        AssertRefused(ImageErrorCode.TooSmall, File.ReadAllBytes(tiny));
        var small = scenes.Derive("small-card.jpg", scenes.CardPng, "-resize", "190x120!");
        AssertRefused(ImageErrorCode.TooSmall, File.ReadAllBytes(small));
    }

    [Fact]
    public void Refuses_uploads_over_the_byte_limit()
    {
        var strict = new ImageDecoder(new ImageLimits { MaxBytes = 100_000 });
        Assert.Equal(ImageErrorCode.TooLargeBytes, Assert.Throws<KtpImageException>(() => strict.Decode(Specimen)).Code);
    }

    [Fact]
    public void Honours_a_lower_pixel_limit()
    {
        var strict = new ImageDecoder(new ImageLimits { MaxPixels = 400_000 });
        Assert.Equal(ImageErrorCode.TooLargePixels, Assert.Throws<KtpImageException>(() => strict.Decode(Specimen)).Code);
    }

    [Fact]
    public void A_jpeg_named_png_is_read_as_the_jpeg_it_is()
    {
        var path = Path.Combine(scenes.Directory, "misnamed.png");
        File.Copy(RepoPaths.Specimen("setiawan.jpg"), path, overwrite: true);
        using var decoded = _decoder.Decode(File.ReadAllBytes(path));
        Assert.Equal(ImageFormat.Jpeg, decoded.Header.Format);
    }

    [Fact]
    public void Decodes_png_gray_and_webp()
    {
        var gray = scenes.Derive("card-gray.png", scenes.CardPng, "-colorspace", "Gray");
        using (var decoded = _decoder.Decode(File.ReadAllBytes(gray)))
            Assert.Equal((ImageFormat.Png, 1000, 630, 1), (decoded.Header.Format, decoded.Image.Width, decoded.Image.Height, decoded.Image.Channels));
        var webp = scenes.Derive("card.webp", scenes.CardPng, "-quality", "80");
        var webpBytes = File.ReadAllBytes(webp);
        using (var decoded = _decoder.Decode(webpBytes))
            Assert.Equal((ImageFormat.WebP, 1000, 630, 3), (decoded.Header.Format, decoded.Image.Width, decoded.Image.Height, decoded.Image.Channels));
        AssertRefused(ImageErrorCode.Corrupt, webpBytes[..(webpBytes.Length / 2)]);
    }

    [Theory]
    [InlineData("progressive.jpg", new[] { "-interlace", "Plane", "-quality", "85" }, 3)]
    [InlineData("cmyk.jpg", new[] { "-colorspace", "CMYK", "-quality", "90" }, 3)]
    [InlineData("gray.jpg", new[] { "-colorspace", "Gray", "-quality", "90" }, 1)]
    [InlineData("palette.png", new[] { "-colors", "64", "-type", "Palette" }, 3)]
    [InlineData("deep.png", new[] { "-depth", "16" }, 3)]
    [InlineData("alpha.png", new[] { "-alpha", "set", "-channel", "A", "-evaluate", "set", "80%", "+channel" }, 3)]
    [InlineData("bilevel.png", new[] { "-colorspace", "Gray", "-threshold", "60%", "-type", "Bilevel" }, 1)]
    public void Decodes_the_encodings_cameras_and_scanners_produce(string name, string[] ops, int channels)
    {
        var path = scenes.Derive(name, scenes.CardPng, ops);
        using var decoded = _decoder.Decode(File.ReadAllBytes(path));
        Assert.Equal((1000, 630, channels), (decoded.Image.Width, decoded.Image.Height, decoded.Image.Channels));
        // Still the card: the NIK digits are dark, the paper around them light.
        using var gray = decoded.Image.ToGray();
        using var pixels = gray.UsePixels();
        var nikRow = pixels.Row(160).Slice(300, 400).ToArray();
        Assert.Contains(nikRow, v => v < 80);
        Assert.Contains(nikRow, v => v > 170);
    }

    /// <summary>
    /// Stored pixels: red square at the top-left, green at the top-right of a 400×260 image. Where they must appear
    /// once shown upright, per the EXIF 2.3 definition of each orientation value.
    /// </summary>
    [Theory]
    [InlineData(1, "TL", "TR", false)]
    [InlineData(2, "TR", "TL", false)]
    [InlineData(3, "BR", "BL", false)]
    [InlineData(4, "BL", "BR", true)] // big-endian (Motorola) EXIF as well
    [InlineData(5, "TL", "BL", false)]
    [InlineData(6, "TR", "BR", false)]
    [InlineData(7, "BR", "TR", true)]
    [InlineData(8, "BL", "TL", false)]
    public void Applies_the_exif_orientation(int orientation, string red, string green, bool bigEndian)
    {
        var stored = scenes.Derive("exif-base.jpg", "-size", "400x260", "xc:white", "-fill", "#ff0000", "-draw", "rectangle 0,0 59,59",
            "-fill", "#00ff00", "-draw", "rectangle 340,0 399,59", "-quality", "95");
        var jpeg = TestImages.WithExifOrientation(File.ReadAllBytes(stored), orientation, bigEndian);

        using var decoded = _decoder.Decode(jpeg);

        Assert.Equal(orientation, decoded.Header.ExifOrientation);
        var swapped = orientation >= 5;
        Assert.Equal(swapped ? (260, 400) : (400, 260), (decoded.Image.Width, decoded.Image.Height));
        Assert.Equal("red", ColourAt(decoded.Image, red));
        Assert.Equal("green", ColourAt(decoded.Image, green));
    }

    [Fact]
    public void The_shim_reports_bad_arguments_as_errors_with_a_message()
    {
        using var image = ImageHandle.FromPixels(new byte[300 * 200], 300, 200, 1);
        Assert.Contains("outside", Assert.Throws<ArgumentException>(() => image.Crop(new(250, 0, 100, 10))).Message);
        Assert.Contains("size", Assert.Throws<ArgumentException>(() => image.Resize(0, 10)).Message);
        Assert.Contains("degenerate", Assert.Throws<ArgumentException>(() =>
            image.Warp(new Quad(new(1, 1), new(1, 1), new(1, 1), new(1, 1)), 100, 63)).Message);
        Assert.Contains("odd", Assert.Throws<ArgumentException>(() => image.Threshold(ThresholdMethod.Adaptive, blockSize: 4)).Message);
        Assert.Throws<ArgumentException>(() => ImageHandle.FromPixels(new byte[10], 300, 200, 1));
        // A null image handle reaches the native side and is refused there, not dereferenced.
        using var none = new ImageHandle();
        Assert.Equal(ShimNative.InvalidArgument, ShimNative.Gray(none, out var result));
        result.Dispose();
        Assert.Equal("image is null", System.Runtime.InteropServices.Marshal.PtrToStringUTF8(ShimNative.LastError()));
        // The shim's own decoder refuses garbage with a decode error (the managed header checks are bypassed here).
        Assert.Equal(ImageErrorCode.Corrupt, Assert.Throws<KtpImageException>(() => ImageHandle.Decode(new byte[4096])).Code);
    }

    private KtpImageException AssertRefused(ImageErrorCode code, byte[] bytes)
    {
        var error = Assert.Throws<KtpImageException>(() => _decoder.Decode(bytes));
        Assert.Equal(code, error.Code);
        return error;
    }

    private static string ColourAt(ImageHandle image, string corner)
    {
        var x = corner[1] == 'L' ? 20 : image.Width - 21;
        var y = corner[0] == 'T' ? 20 : image.Height - 21;
        using var pixels = image.UsePixels();
        var row = pixels.Row(y);
        int b = row[3 * x], g = row[3 * x + 1], r = row[3 * x + 2];
        return (r, g, b) switch
        {
            ( > 200, < 60, < 60) => "red",
            ( < 60, > 200, < 60) => "green",
            _ => $"other({r},{g},{b})",
        };
    }
}
